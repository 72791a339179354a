"""The board: every task has a ``position`` in its status column, and moves between neighbours.

A position is an order key (:mod:`tasklane.domain.positions`): a column lists its tasks by
``(position, id)``, and a move writes the moved task's key only, computed between its new
neighbours' keys. Keys are not per column: a task keeps its key when its status changes by
a PATCH, and sorts into the new column where that key falls.

**Where a task starts.** A task's first position is its *creation key*
(:func:`creation_position`), derived from its id: the ULID's milliseconds as a fixed-width
integer part, its random part as the fraction. Creation keys therefore sort like the ids
(creation order, as the ids' ULIDs do), a new task goes to the end of its column without
reading the column, and a task written before positions existed has the same key, derived
on read, without a migration (the board index learns it lazily, see
``tasklane.dal.dynamodb.board``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Self

from pydantic import ConfigDict, Field, model_validator

from tasklane.domain.base import Model
from tasklane.domain.errors import Conflict
from tasklane.domain.ids import TASK_ID_PATTERN, split_task_id
from tasklane.domain.models import Status, documented
from tasklane.domain.positions import DIGITS, InvalidPosition, between, is_position

#: The integer part's head for 9 base-62 digits: milliseconds up to 62**9, past every
#: 10-character ULID time (50 bits), so any id of a task id's shape has a key (an id whose
#: time no real ULID reaches must still be answered, never a 500).
_CREATION_HEAD = "i"
_CREATION_DIGITS = 9
#: Crockford base32 (lower-case) as our ids spell it: every character is a base-62 digit
#: of the same ASCII order, so a ULID's random part compares the same as a fraction.
_ULID_TIME_CHARS = 10
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"  # pragma: allowlist secret
#: Longest position a client may send (keys grow by about one character per six inserts
#: into the same gap; a key this long means something is wrong).
MAX_POSITION = 256


class NeighboursMoved(Conflict):
    """A neighbour named by a move is no longer where the client saw it."""

    code = "neighbours_moved"


def _base62(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, len(DIGITS))
        digits.append(DIGITS[digit])
    if value:
        raise ValueError("too large for its width")
    return "".join(reversed(digits))


def instant_position(milliseconds: int) -> str:
    """The integer key of an instant (Unix milliseconds): later instants sort after."""
    return _CREATION_HEAD + _base62(milliseconds, _CREATION_DIGITS)


def _ulid_milliseconds(ulid: str) -> int:
    value = 0
    for char in ulid[:_ULID_TIME_CHARS]:
        value = value * 32 + _CROCKFORD.index(char)
    return value


def creation_position(task_ulid: str) -> str:
    """The position a task is created with (and the one a task written before positions
    existed has): its ULID's time as the integer part, its random part as the fraction
    (trailing zeros dropped: a key never ends in one). Sorts like the ULIDs."""
    fraction = task_ulid[_ULID_TIME_CHARS:].rstrip("0")
    return instant_position(_ulid_milliseconds(task_ulid)) + fraction


def default_position(task_id: str) -> str:
    """The position of a task that has none stored: the creation key of its id."""
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError("not a task id")
    return creation_position(parts[1])


def end_position(last: str | None, now: datetime) -> str:
    """A key after ``last`` (the column's last key, None for an empty column) and after
    every task created until ``now``: the end of a column, even one whose tasks written
    before positions existed are not indexed yet."""
    now_key = instant_position(int(now.timestamp() * 1000))
    if last is None or last < now_key:
        return now_key
    return between(last, None)


def position_between(after: str | None, before: str | None) -> str:
    """A key between two neighbours' keys (None: that end of the column). Neighbours in the
    wrong order mean the client's view is stale: 409."""
    try:
        return between(after, before)
    except InvalidPosition as exc:
        raise NeighboursMoved(
            "the neighbours are no longer in that order; read the column again",
            {"after": after, "before": before},
        ) from exc


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a task is: its column, its key and its version (a move's reads)."""

    task_id: str
    status: Status
    position: str
    version: int


def _position(value: str | None) -> str | None:
    if value is not None and (len(value) > MAX_POSITION or not is_position(value)):
        raise ValueError("must be a position this API returned")
    return value


#: A neighbour: a task id (another task of the same project, checked by the use case).
NeighbourId = Annotated[str, Field(max_length=200), documented(pattern=TASK_ID_PATTERN)]
#: A neighbour's position as the client saw it (the exact rule: ``positions.is_position``).
SeenPosition = Annotated[str, Field(max_length=MAX_POSITION), documented(pattern=f"^[{DIGITS}]+$")]


class TaskMove(Model):
    """Where a task goes: a column and its neighbours there, as the client sees them.

    ``after`` is the task it goes after, ``before`` the one it goes before; null means that
    end of the column (both null: the end). With the neighbours' positions the server can
    check them in the move's own write (one round trip); without, it reads them first.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Status = Field(description="The column.")
    after: NeighbourId | None = Field(
        default=None, description="The task it goes after; null: the top of the column."
    )
    before: NeighbourId | None = Field(
        default=None, description="The task it goes before; null: the end of the column."
    )
    after_position: SeenPosition | None = Field(
        default=None,
        description="`after`'s position as you saw it: the move then checks it in its own "
        "write instead of reading it first.",
    )
    before_position: SeenPosition | None = Field(
        default=None,
        description="`before`'s position as you saw it: the move then checks it in its own "
        "write instead of reading it first.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _position(self.after_position)
        _position(self.before_position)
        if self.after_position is not None and self.after is None:
            raise ValueError("after_position needs after")
        if self.before_position is not None and self.before is None:
            raise ValueError("before_position needs before")
        if self.after is not None and self.after == self.before:
            raise ValueError("after and before must be different tasks")
        if (
            self.after_position is not None
            and self.before_position is not None
            and self.after_position > self.before_position
        ):
            raise ValueError("after_position must not sort after before_position")
        return self


class Moved(Model):
    id: str
    status: Status
    position: str
    version: int = Field(description="The task's new version (its ETag).")
