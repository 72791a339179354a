"""``BoardStore``: a project's tasks by status column in position order, and moves."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from tasklane.domain.board import Placement
from tasklane.domain.models import Role, Status, Task, TaskQuery
from tasklane.domain.ports.pages import Page, PageKey


class BoardStore(Protocol):
    def list_board(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        """One page in board order (``query.sort`` is position): the column
        ``query.status``, or every column in turn (to do, in progress, done; reversed for
        ``desc``). Reads at most ``query.limit + 1`` tasks, by key: a page is never short
        while more tasks of the column follow (other filters may make it so). Any member may
        read; NotFound otherwise. Tasks written before positions existed join the board
        index on their project's first board read."""

    def placements(
        self, project_id: str, user_id: str, task_ids: Collection[str]
    ) -> dict[str, Placement] | None:
        """Where the named tasks of the project are (a task that does not exist, or is in
        the trash, is left out); None if the caller is not a member. One read."""

    def last_position(self, project_id: str, status: Status) -> str | None:
        """The greatest position in the column (None: no task there). One read."""

    def position_after(self, project_id: str, status: Status, position: str) -> str | None:
        """The first position in the column greater than ``position`` (None: none). One
        read."""

    def move_task(
        self,
        target: Placement,
        user_id: str,
        roles: Collection[Role],
        neighbours: Sequence[Placement],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """Puts the task into ``target.status`` at ``target.position`` (``target.version``
        is not read), if the caller has one of ``roles``, every neighbour is still in that
        column at its position and, given ``expected_version``, the task is at that version;
        bumps ``version`` and ``updated_at`` and sets or clears ``completed_at`` as a status
        change does. One write. NotFound / Forbidden for the caller or a missing task (or
        one in the trash), NeighboursMoved, PreconditionFailed. A move to Done of a
        recurring task whose next occurrence is not written yet (and that is not done)
        writes nothing and raises :class:`NextOccurrenceNeeded` with the task as found, as
        :meth:`TaskStore.update_task` does for a completion."""
