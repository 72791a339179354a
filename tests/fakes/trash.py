"""``TrashStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.trash import task_view
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Role, Task, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.ports.trash import RestoreView
from tasklane.domain.prepared import PREPARED_FOR
from tasklane.domain.trash import RestoreConditions, project_state, trash_changes
from tests.fakes.table import InMemoryTable
from tests.fakes.tasks import count_task


class InMemoryTrash:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def trash_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
        retention_days: int,
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.check_member(parts[0], user_id, roles, "task")
        self._table.check_writable(parts[0])
        found = self._table.get(it.task_key(task_id))
        if found is not None and "deleted_at" in found:
            raise NotFound("task not found")
        data = it.deserialize(
            self._table.check_target(it.task_key(task_id), expected_version, "task")
        )
        marks = trash_changes(user_id, now, retention_days)
        data |= {
            "version": data["version"] + 1,
            "updated_at": marks["deleted_at"],
            "updated_by": user_id,
            "deleted_at": marks["deleted_at"],
            "deleted_by": user_id,
            it.EXPIRES_AT: marks["purge_at"],
            "gsi1pk": it.trash_pk(parts[0]),
            "gsi1sk": it.trash_sort_key(marks["deleted_at"], task_id),
        }
        self._table.put(it.serialize(data))
        self._table.add_count(counters.project_counters_key(parts[0]), counters.TASKS, -1)

    def list_trash(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Task]:
        if self._table.get(it.member_key(project_id, user_id)) is None:
            raise NotFound("project not found")
        trash = {"S": it.trash_pk(project_id)}
        found, next_key = self._table.query(
            "list_trash",
            (i for i in self._table.items.values() if i.get("gsi1pk") == trash),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=False,
        )
        return Page([it.task_from_item(item) for item in found[:limit]], next_key)

    def read_for_restore(self, task_id: str, user_id: str) -> RestoreView:
        parts = split_task_id(task_id)
        member = self._table.get(it.member_key(parts[0], user_id)) if parts else None
        if parts is None or member is None:
            return RestoreView(None, None, project_state(None), False)
        task = self._table.get(it.task_key(task_id))
        if task is not None and PREPARED_FOR in task:
            task = None  # a prepared next occurrence is not in the trash
        project = self._table.get(it.project_key(parts[0]))
        return RestoreView(
            task=task_view(task) if task is not None else None,
            role=Role(member["role"]["S"]),
            project=project_state(
                None if project is None else {"archived_at": project.get("archived_at")}
            ),
            assignee_is_member=True,
        )

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
        project_id = conditions.project_id
        self._table.check_member(project_id, user_id, roles, "task")
        project = self._table.get(it.project_key(project_id))
        found = self._table.get(it.task_key(task_id))
        assignee = conditions.assignee_id
        if (
            project is None
            or "archived_at" in project
            or found is None
            or found.get("deleted_at") != {"S": conditions.deleted_at}
        ):
            raise Conflict("the task, its project or its assignee changed meanwhile")
        if assignee is not None and self._table.get(it.member_key(project_id, assignee)) is None:
            raise Conflict(
                "the assignee is no longer a member of the project",
                {"reason": "assignee_not_member", "assignee_id": assignee},
            )
        count_task(self._table, project_id, quota)
        data = it.deserialize(found)
        for name in ("deleted_at", "deleted_by", it.EXPIRES_AT):
            data.pop(name, None)
        data |= {
            "version": data["version"] + 1,
            "updated_at": format_time(now),
            "updated_by": user_id,
            "gsi1sk": data["lsi_due_sk"],
        }
        if assignee is not None:
            data["gsi1pk"] = it.assignee_pk(assignee)
        else:
            data.pop("gsi1pk", None)
            if changes.get("assignee_id", "") is None:
                data.pop("assignee_id", None)
        self._table.put(it.serialize(data))
