"""Text rules shared by the models: one-line names, multi-line texts, lengths.

Kept apart from ``models`` so that the modules the task model is made of (checklists,
recurrence) can use them without importing the task model itself.
"""

import unicodedata

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000

_TEXT_WHITESPACE = frozenset("\n\r\t")
_LINE_SEPARATORS = frozenset("\u2028\u2029")


def _is_control(char: str) -> bool:
    """C0 and C1 controls (Unicode category Cc), DEL included."""
    return unicodedata.category(char) == "Cc"


def _single_line(value: str) -> str:
    value = value.strip()
    if any(_is_control(c) or c in _LINE_SEPARATORS for c in value):
        raise ValueError("must be one line without control characters")
    return value


def _text(value: str) -> str:
    if any(_is_control(c) and c not in _TEXT_WHITESPACE for c in value):
        raise ValueError("must not contain control characters")
    return value


def _length(value: str, low: int, high: int) -> str:
    if not low <= len(value) <= high:
        raise ValueError(f"must be {low}-{high} characters after trimming")
    return value
