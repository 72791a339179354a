"""``TaskStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.recurrence import SERIES_ENDED
from tasklane.dal.dynamodb.task_updates import completes
from tasklane.dal.dynamodb.tasks import NOT_A_MEMBER
from tasklane.domain.board import default_position
from tasklane.domain.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Priority, Role, SortKey, Status, Task, TaskQuery, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.ports.tasks import NextOccurrenceNeeded, NotPrepared
from tasklane.domain.prepared import (
    NEXT_PREPARED,
    PREPARED_FOR,
    PREPARED_FROM,
    RECURRENCE_NEXT,
)
from tasklane.domain.recurrence import next_task_id
from tests.fakes.table import InMemoryTable, row


def writable_task(
    table: InMemoryTable, task_id: str, expected_version: int | None, completing: bool
) -> dict[str, Any]:
    """The task a write changes, as its data, refused as ``DynamoTasks`` refuses it: in the
    trash (NotFound), missing or at another version, or a plain completion of a recurring
    task whose next occurrence is not written yet (NextOccurrenceNeeded)."""
    found = table.get(it.task_key(task_id))
    if found is not None and "deleted_at" in found:
        raise NotFound("task not found")
    data = it.deserialize(table.check_target(it.task_key(task_id), expected_version, "task"))
    if (
        completing
        and "recurrence" in data
        and RECURRENCE_NEXT not in data
        and data["status"] != Status.done.value
    ):
        raise NextOccurrenceNeeded(it.task_from_item(it.serialize(data)))
    return data


class InMemoryTasks:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def _check_assignee(self, project_id: str, assignee_id: str | None) -> None:
        if (
            assignee_id is not None
            and self._table.get(it.member_key(project_id, assignee_id)) is None
        ):
            raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER)

    def create_task(
        self, task: Task, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        item = it.task_to_item(task)
        if self._table.get(item) is not None:
            raise Conflict("a task with this id already exists")
        self._table.check_member(task.project_id, user_id, roles, "project")
        self._table.check_writable(task.project_id)
        self._check_assignee(task.project_id, task.assignee_id)
        count_task(self._table, task.project_id, quota)
        self._table.put(item)

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        task = self._table.get(it.task_key(task_id))
        member = self._table.get(it.member_key(parts[0], user_id))
        if task is None or member is None or "deleted_at" in task:
            return None
        return it.task_from_item(task)

    def update_task(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.check_member(parts[0], user_id, roles, "task")
        self._table.check_writable(parts[0])
        if "assignee_id" in changes and changes["assignee_id"] != user_id:
            self._check_assignee(parts[0], changes["assignee_id"])
        data = writable_task(self._table, task_id, expected_version, completes(changes))
        self._apply(data, task_id, user_id, changes, now)
        self._table.put(it.serialize(data))

    def complete_occurrence(
        self,
        task: Task,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        following: Task | None,
        now: datetime,
    ) -> None:
        self._table.check_member(task.project_id, user_id, roles, "task")
        self._table.check_writable(task.project_id)
        found = self._table.get(it.task_key(task.id))
        if found is None or "deleted_at" in found:
            raise NotFound("task not found")
        data = it.deserialize(found)
        if int(data["version"]) != task.version or data["status"] == Status.done.value:
            raise PreconditionFailed(
                "the task has changed since you read it; read it again and retry"
            )
        self._apply(data, task.id, user_id, changes, now)
        data[RECURRENCE_NEXT] = following.id if following else SERIES_ENDED
        self._table.put(it.serialize(data))
        existing = self._table.get(it.task_key(following.id)) if following else None
        if following is not None and (existing is None or PREPARED_FOR in existing):
            self._table.put(it.task_to_item(following))
            count_task(self._table, task.project_id, None)

    def complete_prepared(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.check_member(parts[0], user_id, roles, "task")
        self._table.check_writable(parts[0])
        found = self._table.get(it.task_key(task_id))
        if found is None or "deleted_at" in found:
            raise NotFound("task not found")
        data = it.deserialize(found)
        if expected_version not in (None, int(data["version"])):
            raise PreconditionFailed(
                "the task has changed since you read it; read it again and retry"
            )
        following_key = it.task_key(next_task_id(task_id))
        prepared = self._table.get(following_key)
        current = (
            data.get(NEXT_PREPARED) == data["version"]
            and data["status"] != Status.done.value
            and RECURRENCE_NEXT not in data
        )
        if not current:
            raise NotPrepared(it.task_from_item(found), RECURRENCE_NEXT in data)
        if prepared is None or prepared.get(PREPARED_FOR) != {"S": task_id}:
            raise NotPrepared(None, False)
        self._apply(data, task_id, user_id, changes, now)
        data[RECURRENCE_NEXT] = next_task_id(task_id)
        del data[NEXT_PREPARED]
        self._table.put(it.serialize(data))
        revealed = it.deserialize(prepared)
        for mark in ("deleted_at", PREPARED_FOR, PREPARED_FROM):
            del revealed[mark]
        stamp = format_time(now)
        revealed |= {
            "created_at": stamp,
            "updated_at": stamp,
            "created_by": user_id,
            "updated_by": user_id,
        }
        self._table.put(it.serialize(revealed))
        count_task(self._table, parts[0], None)

    @staticmethod
    def _apply(
        data: dict[str, Any], task_id: str, user_id: str, changes: dict[str, Any], now: datetime
    ) -> None:
        """``changes`` on a task item's data, as ``TaskUpdate`` writes them."""
        stamp = format_time(now)
        data["version"] += 1
        data["updated_at"] = stamp
        data["updated_by"] = user_id
        for field, value in changes.items():
            if field == "due_at":
                if value is None:
                    data.pop("due_at", None)
                else:
                    data["due_at"] = value
                data["lsi_due_sk"] = data["gsi1sk"] = it.due_sort_key(value, task_id)
            elif field == "assignee_id":
                if value is None:
                    data.pop("assignee_id", None)
                    data.pop("gsi1pk", None)
                else:
                    data["assignee_id"] = value
                    data["gsi1pk"] = it.assignee_pk(value)
                    if "due_at" not in changes:
                        data["gsi1sk"] = data["lsi_due_sk"]
            elif field == "priority":
                priority = Priority(value)
                data["priority"] = priority.value
                data["lsi_priority_sk"] = it.priority_sort_key(priority, task_id)
            elif field == "recurrence":
                if value is None:
                    data.pop("recurrence", None)
                else:
                    data["recurrence"] = value
            elif field == "status":
                status = Status(value)
                data["status"] = status.value
                data["board_pk"] = it.board_pk(it.task_project(task_id), status)
                data.setdefault("position", default_position(task_id))
                data.setdefault("board_sk", it.board_sk(default_position(task_id), task_id))
                if status is Status.done:
                    data.setdefault("completed_at", stamp)  # if_not_exists
                else:
                    data.pop("completed_at", None)
            elif field == "position":
                data["position"] = value
                data["board_sk"] = it.board_sk(value, task_id)
            else:
                data[field] = value

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        self._table.check_member(parts[0], user_id, roles, "task")
        self._table.check_writable(parts[0])
        if PREPARED_FOR in (self._table.get(it.task_key(task_id)) or {}):
            raise NotFound("task not found")  # not there until it is revealed
        found = self._table.check_target(it.task_key(task_id), expected_version, "task")
        del self._table.items[row(it.task_key(task_id))]
        if "deleted_at" not in found:  # a trashed task stopped counting in the trash
            self._table.add_count(counters.project_counters_key(parts[0]), counters.TASKS, -1)

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        if self._table.get(it.member_key(project_id, user_id)) is None:
            raise NotFound("project not found")
        pk = it.project_pk(project_id)
        tasks = [i for (p, s), i in self._table.items.items() if p == pk and s.startswith("TASK#")]
        after = format_time(query.due_after) if query.due_after else None
        before = format_time(query.due_before) if query.due_before else None

        # The table (created: sk) or the local index of the sort, as DynamoTasks queries it.
        index = {SortKey.due: "lsi_due_sk", SortKey.priority: "lsi_priority_sk"}.get(query.sort)
        key_names = ("pk", "sk", index) if index else ("pk", "sk")

        def sort_value(item: it.Item) -> tuple[str, ...]:
            return (item[index]["S"], item["sk"]["S"]) if index else (item["sk"]["S"],)

        if query.sort is SortKey.due and (after or before):
            # The same key condition as DynamoTasks: lsi_due_sk BETWEEN :lo AND :hi.
            low, high = f"DUE#{after or ''}", f"DUE#{before or ':'}"
            tasks = [i for i in tasks if low <= i["lsi_due_sk"]["S"] <= high]
            after = before = None  # the key condition replaces the due filter

        def keep(item: it.Item) -> bool:
            return task_matches(item, query, after, before, status=True)

        found, next_key = self._table.query(
            "list_tasks",
            tasks,
            sort_value,
            key_names,
            query.limit,
            start,
            forward=query.order == "asc",
            keep=keep,
        )
        return Page([it.task_from_item(item) for item in found[: query.limit]], next_key)

    # Assignments ------------------------------------------------------------------
    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        assignee = {"S": it.assignee_pk(user_id)}
        found, next_key = self._table.query(
            "list_assigned",
            (i for i in self._table.items.values() if i.get("gsi1pk") == assignee),
            lambda i: (i["gsi1sk"]["S"], i["pk"]["S"], i["sk"]["S"]),
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            limit,
            start,
            forward=True,
            keep=lambda item: "deleted_at" not in item,  # a prepared next occurrence
        )
        tasks = [it.task_from_item(item) for item in found[:limit]]
        member_of = [t for t in tasks if self._table.get(it.member_key(t.project_id, user_id))]
        return Page(member_of, next_key)

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        if self._table.get(it.member_key(project_id, user_id)) is not None:
            return 0  # a member again: their assignments stand
        if not self._table.live_project(project_id):
            return 0  # a deleted project's tasks are purged anyway
        pk, changed = it.project_pk(project_id), 0
        for (p, _s), item in list(self._table.items.items()):
            if p == pk and item.get("assignee_id") == {"S": user_id}:
                data = it.deserialize(item)
                del data["assignee_id"], data["gsi1pk"]
                data |= {
                    "version": data["version"] + 1,
                    "updated_at": format_time(now),
                    "updated_by": user_id,
                }
                self._table.put(it.serialize(data))
                changed += 1
        return changed


def task_matches(
    item: it.Item, query: TaskQuery, after: str | None, before: str | None, *, status: bool
) -> bool:
    """The FilterExpression of a list Query (``tasklane.dal.dynamodb.tasks.add_filters``):
    not trashed, the due window ``after``/``before``, the status (``status``), priority
    and label."""
    due = item.get("due_at", {}).get("S")
    labels = [label["S"] for label in item.get("labels", {}).get("L", [])]
    return (
        "deleted_at" not in item  # trashed tasks are filtered out until purged
        and (after is None or (due is not None and due >= after))
        and (before is None or (due is not None and due < before))
        and (not status or query.status is None or item["status"]["S"] == query.status.value)
        and (query.priority is None or item["priority"]["S"] == query.priority.value)
        and (query.label is None or query.label in labels)
    )


def count_task(table: InMemoryTable, project_id: str, quota: Quota | None) -> None:
    """``counters.count_task``: one more task in the project, refused at ``quota``."""
    key = counters.project_counters_key(project_id)
    if quota is not None and not table.can_raise(key, counters.TASKS, quota.maximum):
        raise counters.limit_reached(quota, "tasks in this project")
    table.add_count(key, counters.TASKS, 1)


class InMemoryPreparedOccurrences:
    """``PreparedOccurrences`` on the in-memory table, with DynamoDB's conditions."""

    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def task_of(self, image: Mapping[str, Any]) -> Task:
        return it.task_from_item(it.serialize(dict(image)))

    def prepare(self, task: Task, following: Task, now: datetime) -> bool:
        found = self._table.get(it.task_key(task.id))
        project = self._table.get(it.project_key(task.project_id))
        if found is None or project is None or "archived_at" in project:
            return False
        data = it.deserialize(found)
        if project.get("deleted_at") or not (
            int(data["version"]) == task.version
            and data["status"] != Status.done.value
            and "recurrence" in data
            and "deleted_at" not in data
            and RECURRENCE_NEXT not in data
        ):
            return False
        existing = self._table.get(it.task_key(following.id))
        if existing is not None and PREPARED_FOR not in existing:
            return False
        data[NEXT_PREPARED] = task.version
        self._table.put(it.serialize(data))
        marks = {"deleted_at": format_time(now), PREPARED_FOR: task.id, PREPARED_FROM: task.version}
        self._table.put(it.task_to_item(following) | it.serialize(marks))
        return True

    def withdraw(self, task_id: str, version: int) -> None:
        key = it.task_key(next_task_id(task_id))
        found = self._table.get(key)
        if (
            found is not None
            and found.get(PREPARED_FOR) == {"S": task_id}
            and int(found[PREPARED_FROM]["N"]) <= version
        ):
            del self._table.items[row(key)]
