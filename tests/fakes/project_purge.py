"""``ProjectPurgeStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from datetime import datetime

from tasklane.dal.dynamodb import items as it
from tasklane.domain.models import format_time
from tasklane.domain.project_purge import MEMBER_PREFIX, PURGE_PARTITION
from tests.fakes.table import InMemoryTable


class InMemoryProjectPurge:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _sort_keys(self, project_id: str, prefix: str = "") -> list[str]:
        pk = it.project_pk(project_id)
        return sorted(s for p, s in self._table.items if p == pk and s.startswith(prefix))

    def next_sort_keys(self, project_id: str, limit: int) -> list[str]:
        return (self._sort_keys(project_id, MEMBER_PREFIX) or self._sort_keys(project_id))[:limit]

    def delete_items(self, project_id: str, sort_keys: list[str]) -> int:
        pk = it.project_pk(project_id)
        for sk in sort_keys:
            self._table.items.pop((pk, sk), None)
        return len(sort_keys)

    def _marked(self, project_id: str) -> it.Item | None:
        item = self._table.get(it.project_key(project_id))
        return item if item is not None and "deleted_at" in item else None

    def finish(self, project_id: str) -> bool:
        if self._marked(project_id) is None:
            return False
        del self._table.items[(it.project_pk(project_id), "PROJECT")]
        return True

    def continue_later(self, project_id: str, now: datetime) -> None:
        item = self._marked(project_id)
        if item is None:
            return
        passes = int(item.get("purge_passes", {"N": "0"})["N"]) + 1
        self._table.put(
            item | {"purge_passes": {"N": str(passes)}, "gsi1sk": {"S": format_time(now)}}
        )

    def stalled(self, before: datetime, limit: int) -> list[str]:
        cutoff = format_time(before)
        found = sorted(
            (item["gsi1sk"]["S"], item["project_id"]["S"])
            for item in self._table.items.values()
            if item.get("gsi1pk") == {"S": PURGE_PARTITION} and item["gsi1sk"]["S"] < cutoff
        )
        return [project_id for _, project_id in found[:limit]]
