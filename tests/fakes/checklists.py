"""``ChecklistStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.checklists import MAX_ITEMS, ChecklistFull, ChecklistItem
from tasklane.domain.errors import NotFound, PreconditionFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Role, Task, format_time
from tests.fakes.table import InMemoryTable


class InMemoryChecklists:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected: int | None
    ) -> dict[str, Any]:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.check_member(parts[0], user_id, roles, "task")
        self._table.check_writable(parts[0])
        found = self._table.get(it.task_key(task_id))
        if found is None or "deleted_at" in found:
            raise NotFound("task not found")
        return it.deserialize(self._table.check_target(it.task_key(task_id), expected, "task"))

    def _save(self, data: dict[str, Any], user_id: str, now: datetime) -> None:
        data |= {"version": data["version"] + 1, "updated_at": format_time(now)}
        data["updated_by"] = user_id
        self._table.put(it.serialize(data))

    def add_item(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        item: ChecklistItem,
        expected_version: int | None,
        now: datetime,
    ) -> None:
        data = self._task(task_id, user_id, roles, expected_version)
        name = it.checklist_attribute(item.id)
        if name in data or data.get(it.CHECKLIST_COUNT, 0) >= MAX_ITEMS:
            raise ChecklistFull(f"a checklist holds at most {MAX_ITEMS} items")
        data[name] = it.checklist_item_value(item)
        data[it.CHECKLIST_COUNT] = data.get(it.CHECKLIST_COUNT, 0) + 1
        self._save(data, user_id, now)

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
        data = self._task(task_id, user_id, roles, expected_version)
        value = data.get(it.checklist_attribute(item_id))
        if value is None:
            raise NotFound("checklist item not found")
        value |= {k: v for k, v in changes.items() if k in ("text", "position")}
        if "done" in changes:
            value["done"] = bool(changes["done"])
            if changes["done"]:
                value.setdefault("done_by", user_id)
                value.setdefault("done_at", format_time(now))
            else:
                value.pop("done_by", None)
                value.pop("done_at", None)
        self._save(data, user_id, now)

    def remove_item(
        self,
        task_id: str,
        item_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        data = self._task(task_id, user_id, roles, expected_version)
        if data.pop(it.checklist_attribute(item_id), None) is None:
            raise NotFound("checklist item not found")
        data[it.CHECKLIST_COUNT] -= 1
        self._save(data, user_id, now)

    def convert_item(
        self,
        task_id: str,
        item: ChecklistItem,
        user_id: str,
        roles: Collection[Role],
        created: Task,
        now: datetime,
    ) -> None:
        data = self._task(task_id, user_id, roles, None)
        value = data.get(it.checklist_attribute(item.id))
        if value is None:
            raise NotFound("checklist item not found")
        if value["text"] != item.text:
            raise PreconditionFailed("the item has changed since you read it")
        del data[it.checklist_attribute(item.id)]
        data[it.CHECKLIST_COUNT] -= 1
        self._save(data, user_id, now)
        self._table.put(it.task_to_item(created))
