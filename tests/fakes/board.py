"""``BoardStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`.

The board index is the items' own ``board_pk`` / ``board_sk`` (as ``gsi_board`` projects
them); a listing reads column after column within ``limit + 1`` items as the adapter's
Queries do, each recorded in ``table.reads``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.board import BOARD_KEYS, board_columns
from tasklane.domain.board import NeighboursMoved, Placement, default_position
from tasklane.domain.errors import NotFound
from tasklane.domain.models import Role, Status, Task, TaskQuery, format_time
from tasklane.domain.ports.pages import Page, PageKey
from tests.fakes.table import InMemoryTable, Read
from tests.fakes.tasks import task_matches, writable_task


def _order(item: it.Item) -> tuple[str, str, str]:
    return item["board_sk"]["S"], item["pk"]["S"], item["sk"]["S"]


class InMemoryBoard:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _column(self, project_id: str, status: Status) -> list[it.Item]:
        column = {"S": it.board_pk(project_id, status)}
        found = (i for i in self._table.items.values() if i.get("board_pk") == column)
        return sorted((i for i in found if "board_sk" in i), key=_order)

    def list_board(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        project = self._table.get(it.project_key(project_id))
        if self._table.get(it.member_key(project_id, user_id)) is None or project is None:
            raise NotFound("project not found")
        if it.BOARD_INDEXED not in project:
            self.index_project(project_id)
        columns = board_columns(query)
        resume: PageKey | None = None
        if start is not None:
            names = [it.board_pk(project_id, status) for status in columns]
            if start.get("board_pk") in names:
                columns = columns[names.index(start["board_pk"]) :]
            resume = start if "board_sk" in start else None
        after = format_time(query.due_after) if query.due_after else None
        before = format_time(query.due_before) if query.due_before else None
        forward = query.order == "asc"
        budget, found = query.limit + 1, []
        for status in columns:
            ordered = self._column(project_id, status)
            if not forward:
                ordered.reverse()
            if resume is not None:
                mark = (resume["board_sk"], resume["pk"], resume["sk"])
                if forward:
                    ordered = [i for i in ordered if _order(i) > mark]
                else:
                    ordered = [i for i in ordered if _order(i) < mark]
                resume = None
            read = ordered[:budget]
            self._table.reads.append(Read("list_board", len(read)))
            found += [i for i in read if task_matches(i, query, after, before, status=False)]
            if len(found) > query.limit:
                last = found[query.limit - 1]
                key = {name: last[name]["S"] for name in BOARD_KEYS}
                return Page(_tasks(found[: query.limit]), key)
            if len(read) == budget:
                # As DynamoDB: a Query that read its Limit says where it stopped.
                return Page(_tasks(found), {name: read[-1][name]["S"] for name in BOARD_KEYS})
            budget -= len(read)
        return Page(_tasks(found), None)

    def placements(
        self, project_id: str, user_id: str, task_ids: Collection[str]
    ) -> dict[str, Placement] | None:
        if self._table.get(it.member_key(project_id, user_id)) is None:
            return None
        result = {}
        for task_id in task_ids:
            item = self._table.get(it.task_key(task_id))
            if item is not None and "deleted_at" not in item:
                result[task_id] = Placement(
                    task_id,
                    Status(item["status"]["S"]),
                    item.get("position", {}).get("S") or default_position(task_id),
                    int(item["version"]["N"]),
                )
        return result

    def last_position(self, project_id: str, status: Status) -> str | None:
        column = self._column(project_id, status)
        return column[-1]["position"]["S"] if column else None

    def position_after(self, project_id: str, status: Status, position: str) -> str | None:
        past = position + "#~"
        later = [i for i in self._column(project_id, status) if i["board_sk"]["S"] > past]
        return later[0]["position"]["S"] if later else None

    def move_task(
        self,
        target: Placement,
        user_id: str,
        roles: Collection[Role],
        neighbours: Sequence[Placement],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        project_id = it.task_project(target.task_id)
        self._table.check_member(project_id, user_id, roles, "task")
        self._table.check_writable(project_id)
        for neighbour in neighbours:
            item = self._table.get(it.task_key(neighbour.task_id))
            stored = None if item is None else item.get("position", {}).get("S")
            if stored is None and item is not None:
                stored = default_position(neighbour.task_id)
            if (
                item is None
                or "deleted_at" in item
                or item["status"]["S"] != neighbour.status.value
                or (stored != neighbour.position)
            ):
                raise NeighboursMoved(
                    "a neighbour moved since you read the column; read it again",
                    {"neighbours": [n.task_id for n in neighbours]},
                )
        completing = target.status is Status.done
        data = writable_task(self._table, target.task_id, expected_version, completing)
        stamp = format_time(now)
        data |= {
            "version": data["version"] + 1,
            "updated_at": stamp,
            "updated_by": user_id,
            "status": target.status.value,
            "position": target.position,
            "board_pk": it.board_pk(project_id, target.status),
            "board_sk": it.board_sk(target.position, target.task_id),
        }
        if target.status is Status.done:
            data.setdefault("completed_at", stamp)
        else:
            data.pop("completed_at", None)
        self._table.put(it.serialize(data))

    def index_project(self, project_id: str) -> int:
        pk, indexed = it.project_pk(project_id), 0
        for (p, s), item in list(self._table.items.items()):
            if p == pk and s.startswith("TASK#") and "board_sk" not in item:
                task_id = item["task_id"]["S"]
                position = default_position(task_id)
                item["board_pk"] = {"S": it.board_pk(project_id, item["status"]["S"])}
                item["board_sk"] = {"S": it.board_sk(position, task_id)}
                item.setdefault("position", {"S": position})
                indexed += 1
        project = self._table.get(it.project_key(project_id))
        if project is not None:
            project[it.BOARD_INDEXED] = {"BOOL": True}
        return indexed


def _tasks(items: list[it.Item]) -> list[Task]:
    return [it.task_from_item(item) for item in items]
