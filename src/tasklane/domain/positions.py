"""Order keys: strings that sort in a list's order, so moving an item rewrites its key only.

Checklist items and the board's tasks carry a ``position``; lists sort by it. Placing an item
between two neighbours computes a new key between theirs (:func:`between`); nothing else is
renumbered, so a move is one write.

The scheme is David Greenspan's "Implementing Fractional Indexing", the one the npm package
``fractional-indexing`` implements: given the same neighbours both produce the same key, so
the web app can place an item optimistically where the server will put it. A key is an
*integer part* (a head character saying how many digits follow, then those digits) and an
optional *fraction*:

- appending or prepending steps the integer (``a0``, ``a1``, … ``az``, ``b00``): keys grow
  by one character per 62**n items, so a column of 10,000 appended tasks has 4-character
  keys;
- inserting between two keys takes the midpoint of their fractions: about one more
  character per six inserts into the same gap.

Digits are base 62 in ASCII order (``0-9A-Za-z``), so keys compare the same as Python and
JavaScript strings and as DynamoDB sort keys (bytes). PostgreSQL must compare them with
``COLLATE "C"``: a linguistic collation puts ``a`` before ``B``.

Two writers placing different items into the same gap at the same moment compute the same
key. Readers therefore order by ``(position, id)``: a tie is still a stable order.
:func:`between` refuses equal neighbours; :func:`key_at`, given the list's keys, places an
item after a tied group instead.
"""

from __future__ import annotations

from collections.abc import Sequence

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_VALUE = {digit: value for value, digit in enumerate(DIGITS)}
_BASE = len(DIGITS)
#: The key of the first item of an empty list.
FIRST = "a0"
#: The smallest integer part. Not a key itself, so something can always go before any key.
_SMALLEST_INTEGER = "A" + "0" * 26


class InvalidPosition(ValueError):
    """A key this module did not make, or neighbours given in the wrong order."""


def _integer_length(head: str) -> int:
    # Heads a..z: non-negative integers of 1..26 digits; Z..A: negative ones of 1..26.
    if "a" <= head <= "z":
        return ord(head) - ord("a") + 2
    if "A" <= head <= "Z":
        return ord("Z") - ord(head) + 2
    raise InvalidPosition(f"{head!r} cannot start a position")


def _split(key: str) -> tuple[str, str]:
    """The key's integer part and fraction, after checking it is a key at all."""
    if not key:
        raise InvalidPosition("a position cannot be empty")
    length = _integer_length(key[0])
    if len(key) < length:
        raise InvalidPosition(f"{key!r} is too short for its head")
    if any(char not in _VALUE for char in key[1:]):
        raise InvalidPosition(f"{key!r} has a character outside 0-9A-Za-z")
    integer, fraction = key[:length], key[length:]
    if integer == _SMALLEST_INTEGER and not fraction:
        raise InvalidPosition(f"{key!r} is reserved")
    if fraction.endswith("0"):
        # A trailing zero would make two spellings of one value (0.5 == 0.50).
        raise InvalidPosition(f"{key!r} ends in a zero digit")
    return integer, fraction


def is_position(key: str) -> bool:
    try:
        _split(key)
    except InvalidPosition:
        return False
    return True


def _midpoint(low: str, high: str | None) -> str:
    """A fraction strictly between the fractions ``low`` and ``high`` (None: one), without a
    trailing zero. ``low`` < ``high``; both are digit strings without trailing zeros."""
    if high is not None:
        # Keep the common prefix (``low`` read as if padded with zeros) and recurse past it.
        shared = 0
        while shared < len(high) and (low[shared] if shared < len(low) else "0") == high[shared]:
            shared += 1
        if shared:
            return high[:shared] + _midpoint(low[shared:], high[shared:])
    low_digit = _VALUE[low[0]] if low else 0
    high_digit = _VALUE[high[0]] if high is not None else _BASE
    if high_digit - low_digit > 1:
        # Round half up, as the JavaScript implementation does (Math.round).
        return DIGITS[(low_digit + high_digit + 1) // 2]
    if high is not None and len(high) > 1:
        # high's first digit alone is above low and, being shorter, below high.
        return high[0]
    return DIGITS[low_digit] + _midpoint(low[1:], None)


def _increment(integer: str) -> str | None:
    """The next integer part, or None past the largest (``z`` followed by 26 ``z``)."""
    head, digits = integer[0], list(integer[1:])
    for index in reversed(range(len(digits))):
        value = _VALUE[digits[index]] + 1
        if value < _BASE:
            digits[index] = DIGITS[value]
            return head + "".join(digits)
        digits[index] = DIGITS[0]
    if head == "Z":
        return "a0"  # -1 + 1
    if head == "z":
        return None
    head = chr(ord(head) + 1)
    if head > "a":
        digits.append(DIGITS[0])  # positive integers get longer
    else:
        digits.pop()  # negative ones get shorter
    return head + "".join(digits)


def _decrement(integer: str) -> str | None:
    """The previous integer part, or None below the smallest."""
    head, digits = integer[0], list(integer[1:])
    for index in reversed(range(len(digits))):
        value = _VALUE[digits[index]] - 1
        if value >= 0:
            digits[index] = DIGITS[value]
            return head + "".join(digits)
        digits[index] = DIGITS[-1]
    if head == "a":
        return "Z" + DIGITS[-1]  # 0 - 1
    if head == "A":
        return None
    head = chr(ord(head) - 1)
    if head < "Z":
        digits.append(DIGITS[-1])  # negative integers get longer
    else:
        digits.pop()
    return head + "".join(digits)


def between(low: str | None, high: str | None) -> str:
    """A key that sorts after ``low`` and before ``high``.

    ``None`` stands for the list's start (``low``) or end (``high``): ``between(last, None)``
    appends, ``between(None, first)`` prepends, ``between(None, None)`` starts a list.
    InvalidPosition if a key is not one of ours or ``low`` does not sort before ``high``.
    """
    low_integer, low_fraction = _split(low) if low is not None else ("", "")
    high_integer, high_fraction = _split(high) if high is not None else ("", "")
    if low is not None and high is not None and low >= high:
        raise InvalidPosition(f"{low!r} does not sort before {high!r}")

    if low is None and high is None:
        return FIRST
    if low is None:
        if high_integer == _SMALLEST_INTEGER:
            return high_integer + _midpoint("", high_fraction)
        if high_fraction:
            return high_integer
        previous = _decrement(high_integer)
        if previous is None:
            raise InvalidPosition("no position sorts before the smallest integer")
        if previous == _SMALLEST_INTEGER:
            # The smallest integer is reserved; its fractions are not.
            return previous + _midpoint("", None)
        return previous
    if high is None:
        following = _increment(low_integer)
        return low_integer + _midpoint(low_fraction, None) if following is None else following
    if low_integer == high_integer:
        return low_integer + _midpoint(low_fraction, high_fraction)
    following = _increment(low_integer)
    # low_integer < high_integer, so there is a next integer; it fits if it is below high.
    if following is not None and following < high:
        return following
    return low_integer + _midpoint(low_fraction, None)


def spread(low: str | None, high: str | None, count: int) -> list[str]:
    """``count`` keys in ascending order between ``low`` and ``high`` (None: the ends),
    spaced evenly so none of them grows longer than it must: for a list created or copied
    in one go (a checklist's items, the positions given to existing tasks)."""
    if count < 0:
        raise ValueError("count must not be negative")
    if count == 0:
        return []
    if high is None or low is None:
        # Towards an open end: consecutive integers, as appending one by one would give.
        keys = [between(low, high)]
        for _ in range(count - 1):
            keys.append(between(keys[-1], None) if high is None else between(None, keys[-1]))
        return keys if high is None else keys[::-1]
    middle = between(low, high)
    half = count // 2
    return [*spread(low, middle, half), middle, *spread(middle, high, count - half - 1)]


def key_at(keys: Sequence[str], index: int) -> str:
    """A key for a new item at ``index`` of a list whose keys, in list order, are ``keys``
    (without the item being placed): 0 is the start, ``len(keys)`` the end.

    Where the neighbours tie (see the module doc) the item goes after the whole tied group,
    the nearest place a key can say."""
    if not 0 <= index <= len(keys):
        raise IndexError(f"index {index} is outside 0..{len(keys)}")
    low = keys[index - 1] if index else None
    following = keys[index:]
    if low is not None:
        following = [key for key in following if key > low]
    return between(low, following[0] if following else None)
