"""``ProjectStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.models import Person, Project, Role, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.project_purge import PURGE_PARTITION
from tests.fakes.table import InMemoryTable


class InMemoryProjects:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def create_project(
        self, project: Project, owner: Person | None = None, quota: Quota | None = None
    ) -> None:
        project_item, member_item = it.project_to_items(project, owner)
        if self._table.get(project_item) is not None or self._table.get(member_item) is not None:
            raise Conflict("project already exists")
        counter = counters.user_counters_key(project.owner_id)
        if quota is not None:
            if not self._table.can_raise(counter, "projects", quota.maximum):
                raise counters.limit_reached(quota, "projects")
            self._table.add_count(counter, "projects", 1)
        self._table.put(project_item)
        self._table.put(member_item)

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        project = self._table.get(it.project_key(project_id))
        member = self._table.get(it.member_key(project_id, user_id))
        if project is None or member is None:
            return None
        return it.project_from_item(project, Role(member["role"]["S"]))

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        user = it.user_pk(user_id)
        members, next_key = self._table.query(
            "list_projects",
            (i for i in self._table.items.values() if i.get("gsi1pk") == {"S": user}),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=True,
        )
        result = []
        for member in members[:limit]:
            project = self._table.items.get((member["pk"]["S"], "PROJECT"))
            if project is not None:
                result.append(it.project_from_item(project, Role(member["role"]["S"])))
        return Page(result, next_key)

    def update_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        self._table.check_member(project_id, user_id, roles, "project")
        self._table.check_writable(project_id)
        item = self._table.check_target(it.project_key(project_id), expected_version, "project")
        data = it.deserialize(item)
        data |= changes
        data["version"] += 1
        data["updated_at"] = format_time(now)
        self._table.put(it.serialize(data))

    def delete_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        self._table.check_member(project_id, user_id, roles, "project")
        item = self._table.check_target(it.project_key(project_id), expected_version, "project")
        if "deleted_at" in item:
            raise NotFound("project not found")
        data = it.deserialize(item)
        at = format_time(now)
        data |= {
            "deleted_at": at,
            "deleted_by": user_id,
            "version": data["version"] + 1,
            "gsi1pk": PURGE_PARTITION,
            "gsi1sk": at,
        }
        self._table.put(it.serialize(data))
        pk = it.project_pk(project_id)
        for key in [k for k in self._table.items if k[0] == pk and k[1].startswith("MEMBER#")]:
            del self._table.items[key]
        self._table.add_count(counters.user_counters_key(user_id), "projects", -1)

    def deletion_pending(self, project_id: str, user_id: str) -> bool:
        item = self._table.get(it.project_key(project_id))
        return item is not None and "deleted_at" in item and item["owner_id"]["S"] == user_id

    def project_has_tasks(self, project_id: str) -> bool:
        pk = it.project_pk(project_id)
        return any(p == pk and s.startswith("TASK#") for p, s in self._table.items)
