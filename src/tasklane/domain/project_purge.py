"""Deleting a project: mark it at once, purge its items in the background (no I/O here).

``DELETE /projects/{id}`` is one transaction: the project item is marked (``deleted_at``,
``deleted_by``) and every membership is deleted with it, so from that instant every read
and write of every former member answers 404 (they all start from the caller's membership),
and writes refuse a marked project (``Table.transact(..., writable_project=)``). The answer
is 204: for clients the project is gone; the rest is housekeeping nobody can observe.

The purge follows from the table's stream (:mod:`tasklane.logic.project_purge`): the
marked project's MODIFY record starts a *pass*, which deletes up to :data:`PASS_ITEMS`
items of the project's partition in batches (:func:`plan`), then either finishes (the
attachments' objects, then the project item, last) or touches the project item, whose new
MODIFY record starts the next pass. Each pass starts from what is left, so a pass that dies
midway is simply run again: by the stream's retry, or, once retries are spent, by the
sweeper, which touches every marked project whose last pass is older than
:data:`STALLED_AFTER`. Removed tasks take their children through the existing consumers
(comments, attachments, history, projection), exactly as a permanent delete does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

#: The project item's sort key: it goes last, when nothing else is left.
PROJECT_SORT_KEY = "PROJECT"
MEMBER_PREFIX = "MEMBER#"
#: The gsi1 partition of projects waiting for their purge (the sweeper's work list); the
#: sort key is the time of the last pass, so the stalled ones come first.
PURGE_PARTITION = "PURGE"
#: One BatchWriteItem.
BATCH_SIZE = 25
#: Sort keys read per Query of the partition (ten batches).
PAGE_SIZE = 250
#: Items one pass deletes at most: well inside the events function's timeout, and a
#: short hold on the stream's shard.
PASS_ITEMS = 1_000
#: A marked project whose last pass is older than this is resumed by the sweeper.
STALLED_AFTER = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class PurgeStep:
    """What to do with one page of the partition's sort keys."""

    #: Batches to delete, in order (memberships first: they grant access).
    batches: tuple[tuple[str, ...], ...]
    #: Nothing but the project item is left: delete the objects, then the project item.
    finish: bool


def plan(found: Sequence[str], batch_size: int = BATCH_SIZE) -> PurgeStep:
    """The next step, from a page of the partition's sort keys (the project item's
    included or not): its items other than the project item, memberships first, in
    batches; or, when there are none, the finish."""
    rest = [sk for sk in dict.fromkeys(found) if sk != PROJECT_SORT_KEY]
    if not rest:
        return PurgeStep(batches=(), finish=True)
    ordered = sorted(rest, key=lambda sk: not sk.startswith(MEMBER_PREFIX))
    batches = tuple(tuple(ordered[n : n + batch_size]) for n in range(0, len(ordered), batch_size))
    return PurgeStep(batches=batches, finish=False)
