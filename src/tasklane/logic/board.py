"""Moving a task on the board: to a column, between two neighbours.

The new position is computed here, between the neighbours' positions
(:mod:`tasklane.domain.board`), and written with a check that the neighbours are still there
(:meth:`tasklane.domain.ports.board.BoardStore.move_task`). What the client says decides
the round trips:

- ``If-Match`` and every named neighbour's position: one write, nothing read first;
- a neighbour without its position, or no ``If-Match`` (the answer carries the new version,
  so the task's is read): one read of the task and the neighbours first;
- no neighbour at all (the end of the column): one read of the column's last position;
- neighbours that tie (two tasks placed into one gap at the same moment): one read of the
  first position past them, since nothing sorts between equal keys.

Without ``If-Match`` a task changed between that read and the write is read again (the
caller did not ask to be refused for it), a few times.

A recurring task moved to Done is completed as a PATCH completes it
(:mod:`tasklane.logic.recurrence`): the move's write refuses it with the task, and the
completion, at the position it was dropped at, is written with its next occurrence (one more
request, for that move only). Of concurrent moves to Done exactly one writes the completion;
the others find the task done and move it as any done task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.board import (
    Moved,
    NeighboursMoved,
    Placement,
    TaskMove,
    end_position,
    position_between,
)
from tasklane.domain.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Status, utc_now
from tasklane.domain.ports.board import BoardStore
from tasklane.domain.ports.tasks import NextOccurrenceNeeded, TaskStore
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.recurrence import complete_with_next

#: Moves without If-Match that lose a race with another change are read and tried again.
UNGUARDED_ATTEMPTS = 3


class BoardService:
    def __init__(
        self, store: BoardStore, tasks: TaskStore, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._store = store
        self._tasks = tasks
        self._clock = clock

    def move(
        self, user_id: str, task_id: str, move: TaskMove, expected_version: int | None
    ) -> Moved:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        project_id = parts[0]
        for name in ("after", "before"):
            neighbour = getattr(move, name)
            if neighbour is None:
                continue
            if neighbour == task_id:
                raise _invalid(name, "must be another task than the one moved")
            neighbour_parts = split_task_id(neighbour)
            if neighbour_parts is None or neighbour_parts[0] != project_id:
                raise _invalid(name, "must be a task of the same project")
        for _ in range(UNGUARDED_ATTEMPTS):
            try:
                return self._attempt(user_id, project_id, task_id, move, expected_version)
            except PreconditionFailed:
                if expected_version is not None:
                    raise
        raise Conflict("the task is being changed by another request; retry")

    def _attempt(
        self,
        user_id: str,
        project_id: str,
        task_id: str,
        move: TaskMove,
        expected_version: int | None,
    ) -> Moved:
        given = {
            move.after: move.after_position,
            move.before: move.before_position,
        }
        wanted = [i for i, position in given.items() if i is not None and position is None]
        if expected_version is None:
            wanted.append(task_id)
        placed: dict[str, Placement] = {}
        if wanted:
            found = self._store.placements(project_id, user_id, wanted)
            if found is None or (expected_version is None and task_id not in found):
                raise NotFound("task not found")
            placed = found

        def neighbour(task: str | None) -> Placement | None:
            if task is None:
                return None
            position = given[task]
            if position is not None:
                return Placement(task, move.status, position, 0)
            current = placed.get(task)
            if current is None or current.status is not move.status:
                raise NeighboursMoved(
                    "a neighbour is no longer in that column; read it again", {"task": task}
                )
            return current

        after, before = neighbour(move.after), neighbour(move.before)
        now = self._clock()
        if after is None and before is None:
            position = end_position(self._store.last_position(project_id, move.status), now)
        else:
            low = after.position if after else None
            high = before.position if before else None
            if low is not None and low == high:
                high = self._store.position_after(project_id, move.status, low)
            position = position_between(low, high)
        version = expected_version if expected_version is not None else placed[task_id].version
        target = Placement(task_id, move.status, position, version + 1)
        neighbours = [n for n in (after, before) if n is not None]
        try:
            self._store.move_task(target, user_id, TASK_WRITERS, neighbours, version, now)
        except NextOccurrenceNeeded as needed:
            completion = {"status": Status.done.value, "position": position}
            complete_with_next(self._tasks, needed.task, user_id, completion, now)
        return Moved(id=task_id, status=move.status, position=position, version=version + 1)


def _invalid(field: str, message: str) -> ValidationFailed:
    detail = {"loc": ["body", field], "message": message, "type": "value_error"}
    return ValidationFailed(f"{field} {message}", [detail])
