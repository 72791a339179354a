"""``RecipientDirectory``: who a notification goes to and the names it mentions.

Read from PostgreSQL (profiles and the projection) by the producers of notification jobs, so
the notifier itself never needs the database. Each call is one short read on its own.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from tasklane.domain.base import Model
from tasklane.domain.notifications import Recipient


class TaskPeople(Model):
    """Who a task concerns, for a comment on it (the comment item does not say)."""

    task_id: str
    project_id: str
    title: str
    created_by: str
    assignee_id: str | None = None


class RecipientDirectory(Protocol):
    def recipients(self, user_ids: Collection[str]) -> dict[str, Recipient]:
        """The profiles of those users that have one."""

    def project_name(self, project_id: str) -> str | None: ...

    def task_people(self, task_id: str) -> TaskPeople | None: ...

    def recipient_by_email(self, email: str) -> Recipient | None:
        """The user whose verified address this is (compared case-insensitively)."""

    def members(self, project_id: str, user_ids: Collection[str]) -> set[str]:
        """Those of ``user_ids`` who are members of the project now (the projection)."""
