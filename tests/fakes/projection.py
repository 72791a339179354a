"""``ProjectionStore`` in memory, with the real one's guards: versions, sequence numbers and
tombstones (a session of :class:`tests.fakes.relational.InMemoryDatabase`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.projection import (
    MemberRow,
    ProjectionSnapshot,
    ProjectRow,
    TaskRow,
    member_key,
)
from tests.fakes.table import InMemoryTable

if TYPE_CHECKING:
    from tests.fakes.relational import RelationalState


class InMemoryProjection:
    def __init__(self, state: RelationalState, clock: Callable[[], datetime]) -> None:
        self._state = state
        self._clock = clock

    def _buried(self, kind: str, item_id: str) -> int | None:
        found = self._state.tombstones.get((kind, item_id))
        return found[0] if found is not None else None

    def _bury(self, kind: str, item_id: str, version: int) -> None:
        old = self._buried(kind, item_id)
        self._state.tombstones[(kind, item_id)] = (max(version, old or version), self._clock())

    def upsert_task(self, row: TaskRow, *, force: bool = False) -> bool:
        if not force:
            if self._buried("project", row.project_id) is not None:
                return False
            if self._buried("task", row.task_id) is not None:
                return False
            old = self._state.tasks.get(row.task_id)
            if old is not None and old.version >= row.version:
                return False
        self._state.tasks[row.task_id] = row
        return True

    def remove_task(self, task_id: str, version: int) -> None:
        self._state.tasks.pop(task_id, None)
        self._bury("task", task_id, version)

    def upsert_project(self, row: ProjectRow, *, force: bool = False) -> bool:
        if not force:
            if self._buried("project", row.project_id) is not None:
                return False
            old = self._state.projects.get(row.project_id)
            if old is not None and old.version >= row.version:
                return False
        self._state.projects[row.project_id] = row
        return True

    def remove_project(self, project_id: str, version: int) -> None:
        state = self._state
        state.tasks = {k: t for k, t in state.tasks.items() if t.project_id != project_id}
        state.members = {k: m for k, m in state.members.items() if k[0] != project_id}
        state.projects.pop(project_id, None)
        self._bury("project", project_id, version)

    def upsert_member(self, row: MemberRow, *, force: bool = False) -> bool:
        key = (row.project_id, row.user_id)
        if not force:
            if self._buried("project", row.project_id) is not None:
                return False
            removed = self._buried("member", member_key(*key))
            if removed is not None and removed >= row.seq:
                return False
            old = self._state.members.get(key)
            if old is not None and old.seq >= row.seq:
                return False
        self._state.members[key] = row
        return True

    def remove_member(
        self, project_id: str, user_id: str, seq: int, *, force: bool = False
    ) -> None:
        key = (project_id, user_id)
        old = self._state.members.get(key)
        if old is not None and (force or old.seq <= seq):
            del self._state.members[key]
        self._bury("member", member_key(project_id, user_id), seq)

    def snapshot(self) -> ProjectionSnapshot:
        return ProjectionSnapshot(
            tasks={k: t.version for k, t in self._state.tasks.items()},
            projects={k: p.version for k, p in self._state.projects.items()},
            members={k: m.role for k, m in self._state.members.items()},
        )

    def prune_tombstones(self, older_than: datetime) -> int:
        old = [k for k, (_, when) in self._state.tombstones.items() if when < older_than]
        for key in old:
            del self._state.tombstones[key]
        return len(old)


class InMemoryProjectedItems:
    """``ProjectionSource`` in memory: the project, membership and task items of the shared
    :class:`tests.fakes.table.InMemoryTable`, as plain values."""

    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def projected_items(self) -> Iterator[dict[str, Any]]:
        for item in list(self._table.items.values()):
            if item.get("type", {}).get("S") in ("task", "project", "member"):
                yield it.deserialize(item)
