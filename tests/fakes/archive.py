"""``ArchiveStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.archive import already
from tasklane.domain.models import Role, format_time
from tests.fakes.table import InMemoryTable


class InMemoryArchive:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def set_archived(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        archived: bool,
        now: datetime,
    ) -> None:
        self._table.check_member(project_id, user_id, roles, "project")
        data = it.deserialize(self._table.check_target(it.project_key(project_id), None, "project"))
        if ("archived_at" in data) == archived:
            raise already(archived)
        data |= {"version": data["version"] + 1, "updated_at": format_time(now)}
        data["updated_by"] = user_id
        if archived:
            data |= {"archived_at": format_time(now), "archived_by": user_id}
        else:
            data.pop("archived_at", None)
            data.pop("archived_by", None)
        self._table.put(it.serialize(data))
