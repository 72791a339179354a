"""``TrashStore``: deleted tasks wait in their project's trash until restored or purged."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.models import Role, Task
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.trash import ProjectState, RestoreConditions


@dataclass(frozen=True, slots=True)
class RestoreView:
    """What deciding a restore needs, read in one request."""

    #: The task in API field names (trash marks included), or None.
    task: dict[str, Any] | None
    #: The caller's role (None: not a member).
    role: Role | None
    project: ProjectState
    assignee_is_member: bool


class TrashStore(Protocol):
    def trash_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
        retention_days: int,
    ) -> None:
        """One request: the task gets its trash marks (and its purge time as the TTL) and
        leaves every list, and stops counting under its project's task limit. NotFound for
        a task already in the trash."""

    def list_trash(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Task]:
        """The project's trash, most recently deleted first (expired ones included: the
        caller leaves them out). NotFound if the caller is not a member."""

    def read_for_restore(self, task_id: str, user_id: str) -> RestoreView:
        """One request: the task, the caller's role and the project. The assignee's
        membership is left to the restoring write's check (``assignee_is_member`` True)."""

    def restore_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        conditions: RestoreConditions,
        now: datetime,
        quota: Quota | None = None,
    ) -> None:
        """One transaction: the marks cleared (and ``changes``), if ``conditions`` still
        hold; Conflict (409) otherwise. The task counts in its project again: LimitReached
        at ``quota`` (None: counted, never refused)."""
