"""The text rules of the input models, as JSON Schema patterns for the OpenAPI document.

The validators in :mod:`tasklane.domain.models` enforce the rules (and word the errors);
these patterns state the same rules to clients, so one generated from the document sends
valid data, and to the contract fuzzer (tests/fuzz). tests/unit/api/test_openapi.py checks on
generated input that each pattern accepts exactly what its validator accepts.

Written for every engine that reads them alike: JavaScript's (ECMA-262, what JSON Schema
names), Rust's (pydantic-core, jsonschema-rs) and Python's ``re`` (Hypothesis). So: ``\\uXXXX``
escapes, character classes built from code points, bounded repeats, ``[0-9]`` for digits; no
``\\s`` or ``\\d`` (each engine has its own idea of them) and no lookaround.
"""

from __future__ import annotations

from collections.abc import Iterable


def _points(*ranges: tuple[int, int]) -> frozenset[int]:
    return frozenset(c for low, high in ranges for c in range(low, high + 1))


#: What ``str.strip()`` removes and ``str.isspace()`` calls whitespace.
WHITESPACE = _points(
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
#: C0 and C1 controls (Unicode category Cc), DEL included.
CONTROLS = _points((0x00, 0x1F), (0x7F, 0x9F))
#: Line and paragraph separators: one-line fields refuse them like line feeds.
LINE_SEPARATORS = _points((0x2028, 0x2029))
#: The controls multi-line text keeps: tab, line feed, carriage return.
TEXT_WHITESPACE = _points((0x09, 0x0A), (0x0D, 0x0D))


def _escape(point: int) -> str:
    return (
        f"\\u{point:04x}"
        if point > 0x7E or point < 0x21 or not chr(point).isalnum()
        else chr(point)
    )


def char_class(points: Iterable[int], *, negate: bool = False) -> str:
    """``[...]`` (or ``[^...]``) naming exactly ``points``, as ranges of ``\\uXXXX`` escapes."""
    ordered = sorted(set(points))
    parts: list[str] = []
    start = previous = ordered[0]
    for point in [*ordered[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        parts.append(
            _escape(start) if start == previous else f"{_escape(start)}-{_escape(previous)}"
        )
        start = previous = point
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def _trimmed(high: int, *, forbidden: frozenset[int], edges: frozenset[int]) -> str:
    """Text that, with ``edges`` stripped from both ends, is 1-``high`` characters long and
    holds none of ``forbidden``."""
    pad = f"{char_class(edges)}*"
    end = char_class(forbidden | WHITESPACE, negate=True)
    inner = char_class(forbidden, negate=True)
    core = end if high == 1 else f"{end}(?:{inner}{{0,{high - 2}}}{end})?"
    return f"^{pad}{core}{pad}$"


def single_line(high: int) -> str:
    """One line: 1-``high`` characters after trimming whitespace, no control characters or
    line separators inside (``_single_line`` and ``_length`` in domain.models)."""
    return _trimmed(high, forbidden=CONTROLS | LINE_SEPARATORS, edges=WHITESPACE)


def label(high: int) -> str:
    """A label as sent: 1-``high`` characters after trimming; whitespace inside is fine
    (runs collapse to one space when it is stored), other control characters are not."""
    return _trimmed(high, forbidden=CONTROLS - WHITESPACE, edges=WHITESPACE)


def text() -> str:
    """Multi-line text: no control characters but tab, line feed and carriage return."""
    return f"^{char_class(CONTROLS - TEXT_WHITESPACE, negate=True)}*$"


def trimmed_text(high: int) -> str:
    """Multi-line text, 1-``high`` characters after trimming (a comment). Controls are
    refused before trimming, so only whitespace that is not a refused control pads it."""
    refused = CONTROLS - TEXT_WHITESPACE
    return _trimmed(high, forbidden=refused, edges=WHITESPACE - refused)


def email() -> str:
    """One line, trimmed, ``local@domain`` split at the last ``@``, both parts non-empty, no
    space character (``_email`` in domain.models). Its length is bounded by ``maxLength``."""
    refused = CONTROLS | LINE_SEPARATORS | {ord(" ")}
    pad = f"{char_class(WHITESPACE)}*"
    first = char_class(refused | WHITESPACE, negate=True)
    local = char_class(refused, negate=True)
    domain = char_class(refused | {ord("@")}, negate=True)
    last = char_class(refused | WHITESPACE | {ord("@")}, negate=True)
    return f"^{pad}{first}{local}*@{domain}*{last}{pad}$"


def blank_free() -> str:
    """At least one character that is not whitespace (unanchored: a search)."""
    return char_class(WHITESPACE, negate=True)


#: Years a due date may be written in (earlier or later ones are mistakes, and would not
#: fit the fixed-width sort keys once in UTC): 1970-9998.
_YEAR = "(?:19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
#: RFC 3339 ``date-time`` (seconds required, up to nine fraction digits, ``Z`` or an offset),
#: in the years above. The calendar (a 30th of February) is ``format: date-time``'s part.
INSTANT = (
    f"^{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt]"
    "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)


# -- recurrence rules (tasklane.domain.recurrence) -------------------------------------------
_WEEKDAY = "(?:MO|TU|WE|TH|FR|SA|SU)"
#: Month and day of a date in any year; 29 February only in the leap years below.
_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])(?:29|30)|(?:0[13578]|1[02])31)"
)
#: The leap years of 1970-9998 (every 4th, centuries only every 400th).
_LEAP_YEAR = (
    "(?:19(?:7[26]|8[048]|9[26])|[2-9][0-9](?:0[48]|[2468][048]|[13579][26])"
    "|(?:[2468][048]|[3579][26])00)"
)
_UNTIL = f"(?:{_YEAR}{_MONTH_DAY}|{_LEAP_YEAR}0229)(?:T(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]Z)?"
_INTERVAL = ";INTERVAL=[1-9][0-9]?"
#: COUNT=1 is refused: such a rule never repeats.
_END = "(?:;COUNT=(?:[2-9]|[1-9][0-9]{1,2}|1000)|;UNTIL=" + _UNTIL + ")"
_DAYS = f"{_WEEKDAY}(?:,{_WEEKDAY})*"
_NUMBERED_DAY = f"(?:[+-]?0?[1-5])?{_WEEKDAY}"
_MONTH_DAYS_ITEM = "[+-]?(?:0?[1-9]|[12][0-9]|3[01])"


def rrule() -> str:
    """The RRULE subset of ``parse_rule`` in its canonical form (the form the API stores and
    answers): ``FREQ`` first, then ``INTERVAL`` (1-99), ``BYDAY``, ``BYMONTHDAY``, and
    ``COUNT`` (2-1000) or ``UNTIL`` (a real date or UTC time in 1970-9998); ``BYDAY`` with
    ``DAILY`` only every day (``INTERVAL=1``), numbered weekdays and ``BYMONTHDAY`` with
    ``MONTHLY`` only, no ``BYDAY`` with ``YEARLY``. What no pattern can state: whether the
    rule gives an occurrence after the task's due date (422 ``never_repeats``). The API also
    reads the parts in any order, in lower case and after an ``RRULE:`` prefix."""
    daily = f"FREQ=DAILY(?:{_INTERVAL}|(?:;INTERVAL=1)?;BYDAY={_DAYS})?"
    weekly = f"FREQ=WEEKLY(?:{_INTERVAL})?(?:;BYDAY={_DAYS})?"
    monthly = (
        f"FREQ=MONTHLY(?:{_INTERVAL})?(?:;BYDAY={_NUMBERED_DAY}(?:,{_NUMBERED_DAY})*)?"
        f"(?:;BYMONTHDAY={_MONTH_DAYS_ITEM}(?:,{_MONTH_DAYS_ITEM})*)?"
    )
    yearly = f"FREQ=YEARLY(?:{_INTERVAL})?"
    return f"^(?:{daily}|{weekly}|{monthly}|{yearly}){_END}?$"


# -- order keys (tasklane.domain.positions) --------------------------------------------------
def position() -> str:
    """A fractional-indexing key (``is_position``): a head letter, as many base-62 digits
    (``0-9A-Za-z``) as it says (``a``: 1 … ``z``: 26; ``Z``: 1 … ``A``: 26), then a fraction
    not ending in ``0``. The smallest integer part (``A`` and 26 zeros) needs a fraction."""
    digit, last = "[0-9A-Za-z]", "[1-9A-Za-z]"  # ``last``: any digit but 0
    fraction = f"(?:{digit}*{last})?"
    heads = [f"{chr(ord('a') + n - 1)}{digit}{{{n}}}" for n in range(1, 27)] + [
        f"{chr(ord('Z') - n + 1)}{digit}{{{n}}}" for n in range(1, 26)
    ]
    # The 26-digit negative integer part: all zeros only with a fraction after it.
    not_all_zero = "|".join(f"0{{{k}}}{last}{digit}{{{25 - k}}}" for k in range(26))
    smallest = f"A(?:0{{26}}{digit}*{last}|(?:{not_all_zero}){fraction})"
    return f"^(?:(?:{'|'.join(heads)}){fraction}|{smallest})$"


# -- webhook receivers (tasklane.domain.exchange.targets) ------------------------------------
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
#: 0-65535, no leading zero.
_PORT = (
    "(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
)
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: At most four labels, the last starting with a letter (never read as a number), so the
#: name stays within DNS's 253 characters.
_HOST_NAME = f"(?:{_LABEL}\\.){{1,3}}[A-Za-z](?:[A-Za-z0-9-]{{0,59}}[A-Za-z0-9])?"


def webhook_url() -> str:
    """A receiver URL ``parse_target`` reads: ``https``, a host name of two to four labels
    or a dotted-decimal IPv4 address, an optional port, then no whitespace, control
    character or backslash. Where the host points (public addresses only) is a question for
    DNS, answered at registration; the API also reads IPv6 literals, a trailing dot and
    longer names."""
    unsafe = WHITESPACE | _points((0x00, 0x1F), (0x7F, 0x7F)) | {ord("\\")}
    host = f"(?:{_HOST_NAME}|{_OCTET}(?:\\.{_OCTET}){{3}})"
    rest = f"(?:[/?#]{char_class(unsafe, negate=True)}*)?"
    return f"^[Hh][Tt][Tt][Pp][Ss]://{host}(?::{_PORT})?{rest}$"


def one_line_or_blank() -> str:
    """Any text without C0 controls or DEL (a webhook's description; C1 controls and line
    separators are let through)."""
    return f"^{char_class(_points((0x00, 0x1F), (0x7F, 0x7F)), negate=True)}*$"
