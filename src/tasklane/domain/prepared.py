"""A recurring task's next occurrence, prepared ahead so completing takes one request.

DynamoDB cannot copy one item into another inside a transaction, so a completion that is to
create the next occurrence in the same request must find it already written. A stream
consumer (:class:`tasklane.logic.occurrences.OccurrencePreparation`) keeps it written for
every open recurring task: the *prepared* occurrence, at the id it will have
(:func:`tasklane.domain.recurrence.next_task_id`), hidden the way a task in the trash is
(``deleted_at``: every list, read and write that skips the trash skips it) and marked
:data:`PREPARED_FOR` (so the trash, restore and permanent delete skip it too). The task
carries :data:`NEXT_PREPARED`, the version its prepared occurrence was copied from; completing
checks it equals the task's version (the copy is current) and reveals the occurrence by
removing the marks, in the completion's transaction.

The rest of the system never sees a prepared occurrence: :func:`as_seen` turns the stream's
records into what consumers see (a reveal reads as the occurrence's creation; the stamp's
own writes are not changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: On a prepared occurrence: the id of the task it follows.
PREPARED_FOR = "prepared_for"
#: On a prepared occurrence: the version of that task it was copied from.
PREPARED_FROM = "prepared_from"
#: On a recurring task: the version its prepared occurrence was copied from.
NEXT_PREPARED = "next_prepared"
#: Set on a recurring task once completing it has created its next occurrence (or found the
#: series ended): completing it again creates nothing, and nothing is prepared for it.
RECURRENCE_NEXT = "recurrence_next"

Image = Mapping[str, Any]


def is_prepared(image: Image | None) -> bool:
    return image is not None and PREPARED_FOR in image


def without_stamp(image: Image | None) -> dict[str, Any] | None:
    """The item without :data:`NEXT_PREPARED`, which is bookkeeping, not a change."""
    if image is None:
        return None
    return {name: value for name, value in image.items() if name != NEXT_PREPARED}


def needs_preparing(image: Image | None) -> bool:
    """A task whose completion would create a next occurrence: open, recurring (with a due
    date), not in the trash, and not completed before (:data:`RECURRENCE_NEXT`)."""
    return (
        image is not None
        and image.get("type") == "task"
        and not is_prepared(image)
        and image.get("status") != "done"
        and bool(image.get("recurrence"))
        and bool(image.get("due_at"))
        and "deleted_at" not in image
        and RECURRENCE_NEXT not in image
    )
