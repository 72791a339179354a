"""``TaskStore``: the tasks of a project and the assignments across projects."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.models import Role, Task, TaskQuery
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey


class NextOccurrenceNeeded(Exception):
    """A plain completion of a recurring task was refused: its next occurrence must be
    written with it (:meth:`TaskStore.complete_occurrence`). ``task`` is the task as the
    refusal found it (no extra read)."""

    def __init__(self, task: Task) -> None:
        super().__init__("the task recurs: complete it with its next occurrence")
        self.task = task


class NotPrepared(Exception):
    """A completion could not reveal a prepared next occurrence
    (:meth:`TaskStore.complete_prepared`): complete the task as a plain write or with
    :meth:`TaskStore.complete_occurrence`. ``task``: the task as the refusal found it (None
    when it did not say); ``has_next``: its next occurrence was created before."""

    def __init__(self, task: Task | None, has_next: bool) -> None:
        super().__init__("no prepared next occurrence to reveal")
        self.task = task
        self.has_next = has_next


class PreparedOccurrences(Protocol):
    """The next occurrences prepared ahead (:mod:`tasklane.domain.prepared`)."""

    def task_of(self, image: Mapping[str, Any]) -> Task:
        """The task a stream image of its item holds."""

    def prepare(self, task: Task, following: Task, now: datetime) -> bool:
        """Writes ``following`` as ``task``'s prepared next occurrence, and stamps ``task``
        with the version it was copied from, if ``task`` is still at ``task.version`` and
        still needs one (open, recurring, not completed before); False when not."""

    def withdraw(self, task_id: str, version: int) -> None:
        """Deletes the task's prepared next occurrence if it was copied from ``version`` or
        before (an older stream record withdraws nothing newer)."""


class TaskStore(Protocol):
    def create_task(
        self, task: Task, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        """NotFound / Forbidden for the caller; ValidationFailed if the assignee is not a
        member; Conflict if the id exists. Counts the task in its project, in the same
        transaction; LimitReached at ``quota`` (None: counted, never refused)."""

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        """None unless the task exists and the caller is a member of its project."""

    def update_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """Applies ``changes`` (API field names, ``due_at`` None = clear, ``recurrence`` a
        :class:`Series` dump or None) atomically, bumps ``version`` and ``updated_at``, and
        sets or clears ``completed_at`` with ``status``. PreconditionFailed if
        ``expected_version`` is stale; NotFound for a trashed task. Completing a recurring
        task whose next occurrence does not exist yet raises :class:`NextOccurrenceNeeded`
        (unless ``changes`` set the recurrence too)."""

    def complete_occurrence(
        self,
        task: Task,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        following: Task | None,
        now: datetime,
    ) -> None:
        """One transaction: ``changes`` (a completion) on ``task`` if it is still at
        ``task.version`` and not done (else PreconditionFailed), marked as having its next
        occurrence, and ``following`` (None: the series ended) put unless it exists (then
        the completion alone is written); ``following`` is counted in its project, never
        refused by the task limit."""

    def complete_prepared(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """One request: ``changes`` (a completion) and the reveal of the task's prepared next
        occurrence, if the prepared copy is of the task as it is. :class:`NotPrepared`
        when there is none to reveal; NotFound / Forbidden / PreconditionFailed as for
        :meth:`update_task`."""

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        """For good, from the trash or not; a live task's count in its project is lowered
        with it (a trashed one's was lowered by the trash)."""

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        """One page: reads at most ``query.limit + 1`` items. NotFound if not a member."""

    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """Tasks assigned to the user across projects, due soonest first (undated last),
        reading at most ``limit + 1`` items; only those of projects the user is a member of
        now (an assignment may outlive a removal for a moment: a page may then be short)."""

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        """Unassigns the user from the project's tasks, unless they are a member again;
        returns how many tasks changed. Idempotent (a stream consumer calls it)."""
