"""Keeps every open recurring task's next occurrence prepared (:mod:`tasklane.domain.prepared`),
so that completing it is one request (:meth:`tasklane.logic.tasks.TaskService.complete`).

A consumer of the stream: each change of a task that needs one writes a fresh copy, stamped
with the task's version (a stale or replayed record is refused by that version and prepares
nothing); a task that stops needing one (done, trashed, deleted, no longer repeating, the
series ended) has its copy withdrawn. A completion that finds the copy behind the task (a
change this consumer has not reached yet) takes two requests instead: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.models import utc_now
from tasklane.domain.ports.tasks import PreparedOccurrences
from tasklane.domain.prepared import needs_preparing
from tasklane.logic.recurrence import next_occurrence
from tasklane.logic.stream import StreamChange


class OccurrencePreparation:
    name = "occurrences"

    def __init__(self, store: PreparedOccurrences, clock: Callable[[], datetime] = utc_now) -> None:
        self._store = store
        self._clock = clock

    def handle(self, change: StreamChange) -> None:
        if change.item_type != "task":
            return
        if change.new is not None and needs_preparing(change.new):
            task = self._store.task_of(change.new)
            now = self._clock()
            # Its creator and times are the completion's, set when it is revealed.
            following = next_occurrence(task, task.updated_by or task.created_by, now)
            if following is not None:
                self._store.prepare(task, following, now)
                return
        elif not needs_preparing(change.old):
            return  # it had none
        image = change.image
        self._store.withdraw(str(image["task_id"]), int(image["version"]))
