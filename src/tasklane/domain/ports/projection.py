"""``ProjectionStore`` (the projection's rows, written from the stream, inside
``Relational.transaction()``) and ``ProjectionSource`` (what the projection follows, read
whole from the system of record: reconcile's side of the comparison).

Every write is guarded: a task or project row is replaced only by a higher version, a
membership only by a higher stream sequence number, and a removal leaves a tombstone that a
late upsert cannot pass. ``force=True`` (reconcile --fix) writes whatever the row holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.projection import MemberRow, ProjectionSnapshot, ProjectRow, TaskRow


class ProjectionStore(Protocol):
    def upsert_task(self, row: TaskRow, *, force: bool = False) -> bool:
        """True if the row was written (a newer version, or forced)."""

    def remove_task(self, task_id: str, version: int) -> None: ...

    def upsert_project(self, row: ProjectRow, *, force: bool = False) -> bool: ...

    def remove_project(self, project_id: str, version: int) -> None:
        """The project, its memberships and every task still in it."""

    def upsert_member(self, row: MemberRow, *, force: bool = False) -> bool: ...

    def remove_member(
        self, project_id: str, user_id: str, seq: int, *, force: bool = False
    ) -> None:
        """A membership can come back (sharing): its removal wins only over changes older
        than itself (``force``: whatever the row's sequence number)."""

    def snapshot(self) -> ProjectionSnapshot:
        """Every row's version (tasks, projects) or role (memberships)."""

    def prune_tombstones(self, older_than: datetime) -> int:
        """Deletes tombstones older than ``older_than``; returns how many."""


class ProjectionSource(Protocol):
    def projected_items(self) -> Iterable[dict[str, Any]]:
        """Every project, membership and task item of the system of record, as plain
        values (an operator's full read, never an API path)."""
