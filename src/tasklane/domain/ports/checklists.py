"""``ChecklistStore``: a task's checklist items, each written on its own.

Every item is its own top-level attribute of the task item, so two users changing
different items never write the same data; each write still checks the caller's role and
bumps the task's ``version`` (``If-Match`` on an item change compares the task's).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.models import Role, Task


class ChecklistStore(Protocol):
    def add_item(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        item: ChecklistItem,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """One request. ChecklistFull (409) at the limit; NotFound for no (or a trashed)
        task; Forbidden for a viewer; PreconditionFailed for a stale version."""

    def change_item(
        self,
        task_id: str,
        item_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """One request: ``text``, ``position`` and ``done`` (who ticked it and when: the
        first to tick, kept by a second tick). NotFound when the item does not exist."""

    def remove_item(
        self,
        task_id: str,
        item_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """One request. NotFound when the item does not exist (a replay of a removal)."""

    def convert_item(
        self,
        task_id: str,
        item: ChecklistItem,
        user_id: str,
        roles: Collection[Role],
        created: Task,
        now: datetime,
    ) -> None:
        """One transaction: the item leaves the checklist (if its text is still ``item``'s,
        else PreconditionFailed) and ``created`` is put."""
