"""``TaskStore``: the tasks of a project and the assignments across projects."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.models import Role, Task, TaskQuery
from tasklane.domain.ports.pages import Page, PageKey


class TaskStore(Protocol):
    def create_task(self, task: Task, user_id: str, roles: Collection[Role]) -> None:
        """NotFound / Forbidden for the caller; ValidationFailed if the assignee is not a
        member; Conflict if the id exists."""

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
        """Applies ``changes`` (API field names, ``due_at`` None = clear) atomically,
        bumps ``version`` and ``updated_at``, and sets or clears ``completed_at`` with
        ``status``. PreconditionFailed if ``expected_version`` is stale."""

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None: ...

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        """One page: reads at most ``query.limit + 1`` items. NotFound if not a member."""

    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """Tasks assigned to the user across projects, due soonest first (undated last),
        reading at most ``limit + 1`` items."""

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        """Unassigns the user from the project's tasks, unless they are a member again;
        returns how many tasks changed. Idempotent (a stream consumer calls it)."""
