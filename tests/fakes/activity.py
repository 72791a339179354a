"""``ActivityStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Sequence

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.activity import MAX_ENTRIES, entry_from_item, entry_to_item
from tasklane.domain.activity import ActivityEntry
from tasklane.domain.errors import NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.ports.pages import Page, PageKey
from tests.fakes.table import InMemoryTable


class InMemoryActivity:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def record(self, project_id: str, entries: Sequence[ActivityEntry]) -> bool:
        if not entries:
            return True
        if not self._table.live_project(project_id):
            return False
        for entry in entries[:MAX_ENTRIES]:
            self._table.put(entry_to_item(entry))
        return True

    def _member(self, project_id: str, user_id: str) -> None:
        if self._table.get(it.member_key(project_id, user_id)) is None:
            raise NotFound("project not found")

    def project_page(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        self._member(project_id, user_id)
        pk = it.project_pk(project_id)
        found, next_key = self._table.query(
            "activity_project",
            (
                i
                for (p, s), i in self._table.items.items()
                if p == pk and s.startswith(it.ACTIVITY_PREFIX)
            ),
            lambda i: (i["sk"]["S"],),
            ("pk", "sk"),
            limit,
            start,
            forward=False,
        )
        return Page([entry_from_item(i) for i in found[:limit]], next_key)

    def task_page(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._member(parts[0], user_id)
        partition = {"S": it.task_activity_pk(task_id)}
        found, next_key = self._table.query(
            "activity_task",
            (i for i in self._table.items.values() if i.get("gsi1pk") == partition),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=False,
        )
        return Page([entry_from_item(i) for i in found[:limit]], next_key)
