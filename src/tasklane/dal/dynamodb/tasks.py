"""``TaskStore`` on DynamoDB.

Round trips: create, get, update and delete are one request each (a TransactWriteItems that
checks the caller's membership — and the assignee's, when one is named — with the write, or
a BatchGetItem of the task and the membership). A page of a project's tasks is two: the
membership GetItem and one Query that reads at most ``limit + 1`` items, on the table (by
creation) or a local secondary index (by due date or priority). The tasks assigned to the
caller are one Query on gsi1, with no membership read: a stream consumer unassigns removed
members (``clear_assignments``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict, NotFound, ValidationFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Priority,
    Role,
    SortKey,
    Status,
    Task,
    TaskQuery,
    format_time,
)
from tasklane.domain.ports.pages import Page, PageKey

#: The assignee named by a write is not a member of the task's project.
NOT_A_MEMBER = {"assignee_id": "must be a member of the project"}


class DynamoTasks:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _assignee_check(
        self, project_id: str, user_id: str, assignee_id: str | None
    ) -> list[dict[str, Any]]:
        """The assignee's membership, in the write's transaction. None: nothing to check;
        the caller: their own check covers it (a transaction may touch an item once)."""
        if assignee_id is None or assignee_id == user_id:
            return []
        return [self._table.exists_check(it.member_key(project_id, assignee_id))]

    def create_task(self, task: Task, user_id: str, roles: Collection[Role]) -> None:
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": it.task_to_item(task),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        assignee = self._assignee_check(task.project_id, user_id, task.assignee_id)
        try:
            self._table.transact(
                [self._table.member_check(task.project_id, user_id, roles), *assignee, put]
            )
        except TransactionCancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            if exc.failed(1 + len(assignee)):
                raise Conflict("a task with this id already exists") from exc
            exc.raise_for(target=1 + len(assignee), what="project")

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        found = self._table.batch_get([it.task_key(task_id), it.member_key(parts[0], user_id)])
        task = next((i for i in found if i["sk"]["S"].startswith("TASK#")), None)
        member = any(i["sk"]["S"] == f"MEMBER#{user_id}" for i in found)
        return it.task_from_item(task) if task is not None and member else None

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
        condition, values = Table.guard(expected_version)
        expression = _TaskUpdate(task_id, user_id, now)
        for field, value in changes.items():
            expression.change(field, value)
        rendered = expression.render()
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": rendered,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": expression.names,
                "ExpressionAttributeValues": values | expression.values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        assignee = self._assignee_check(parts[0], user_id, changes.get("assignee_id"))
        try:
            self._table.transact(
                [self._table.member_check(parts[0], user_id, roles), *assignee, update]
            )
        except TransactionCancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            exc.raise_for(target=1 + len(assignee), what="task")

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        delete = self._table.guarded_delete(it.task_key(task_id), expected_version)
        try:
            self._table.transact([self._table.member_check(parts[0], user_id, roles), delete])
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="task")

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        member = self._table.client.get_item(
            TableName=self._table.name,
            Key=it.member_key(project_id, user_id),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        if "Item" not in member:
            raise NotFound("project not found")
        request, key_names = _task_query(self._table.name, project_id, query)
        found, next_key = self._table.page(request, query.limit, start, key_names)
        return Page([it.task_from_item(item) for item in found], next_key)

    # Assignments ----------------------------------------------------------------------
    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """One Query on gsi1 (eventually consistent, like every GSI read)."""
        found, next_key = self._table.gsi1_page(it.assignee_pk(user_id), limit, start)
        return Page([it.task_from_item(item) for item in found], next_key)

    def clear_assignments(self, project_id: str, user_id: str, now: datetime) -> int:
        """One Query page on gsi1 per 100 of the user's assignments, then one
        TransactWriteItems per task of the project: the unassignment, with checks that the
        user has not become a member again (then their assignments stand) and that the
        project still exists (a deleted one's tasks are purged)."""
        changed = 0
        for key in self._assigned_keys(project_id, user_id):
            unassign = {
                "Update": {
                    "TableName": self._table.name,
                    "Key": key,
                    "UpdateExpression": "SET #version = #version + :one, #updated = :now, "
                    "#by = :user REMOVE #assignee, #gsi1pk",
                    "ConditionExpression": "#assignee = :user",
                    "ExpressionAttributeNames": {
                        "#version": "version",
                        "#updated": "updated_at",
                        "#by": "updated_by",
                        "#assignee": "assignee_id",
                        "#gsi1pk": "gsi1pk",
                    },
                    "ExpressionAttributeValues": {
                        ":one": {"N": "1"},
                        ":now": {"S": format_time(now)},
                        ":user": {"S": user_id},
                    },
                }
            }
            gone = {
                "ConditionCheck": {
                    "TableName": self._table.name,
                    "Key": it.member_key(project_id, user_id),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            # A deleted project's tasks are purged anyway: no pointless changes to them.
            project = self._table.exists_check(it.project_key(project_id))
            try:
                self._table.transact([gone, project, unassign])
            except TransactionCancelled as exc:
                if exc.failed(0) or exc.failed(1):
                    return changed  # a member again, or the project is gone
                continue  # reassigned or deleted meanwhile: nothing to clear
            changed += 1
        return changed

    def _assigned_keys(self, project_id: str, user_id: str) -> Iterator[it.Key]:
        query: dict[str, Any] = {
            "TableName": self._table.name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :assignee",
            "FilterExpression": "#project = :project",
            "ExpressionAttributeNames": {"#project": "project_id"},
            "ExpressionAttributeValues": {
                ":assignee": {"S": it.assignee_pk(user_id)},
                ":project": {"S": project_id},
            },
            "ProjectionExpression": "pk, sk",
            "Limit": 100,
        }
        return self._table.keys(query)


class _TaskUpdate:
    """Builds one UpdateExpression: changed fields, their index keys, version and times."""

    def __init__(self, task_id: str, user_id: str, now: datetime) -> None:
        self._task_id = task_id
        self.names = {"#version": "version", "#updated": "updated_at", "#by": "updated_by"}
        self.values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":now": {"S": format_time(now)},
            ":by": {"S": user_id},
        }
        self._sets = ["#version = #version + :one", "#updated = :now", "#by = :by"]
        self._removes: list[str] = []
        self._due_changed = self._assigned = False

    def _set(self, attribute: str, value: Any) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self.values[f":a{n}"] = it.serialize({"v": value})["v"]
        self._sets.append(f"#a{n} = :a{n}")

    def _remove(self, attribute: str) -> None:
        n = len(self.names)
        self.names[f"#a{n}"] = attribute
        self._removes.append(f"#a{n}")

    def change(self, field: str, value: Any) -> None:
        if field == "due_at":
            if value is None:
                self._remove("due_at")
            else:
                self._set("due_at", value)
            due_key = it.due_sort_key(value, self._task_id)
            self._set("lsi_due_sk", due_key)
            self._set("gsi1sk", due_key)
            self._due_changed = True
        elif field == "assignee_id":
            if value is None:
                # Off gsi1: without its partition key the item is not on the index.
                self._remove("assignee_id")
                self._remove("gsi1pk")
            else:
                self._set("assignee_id", value)
                self._set("gsi1pk", it.assignee_pk(value))
                self._assigned = True
        elif field == "priority":
            priority = Priority(value)
            self._set("priority", priority.value)
            self._set("lsi_priority_sk", it.priority_sort_key(priority, self._task_id))
        elif field == "status":
            status = Status(value)
            self._set("status", status.value)
            if status is Status.done:
                # Completing a done task again keeps its first completion time.
                self.names["#completed"] = "completed_at"
                self._sets.append("#completed = if_not_exists(#completed, :now)")
            else:
                self._remove("completed_at")
        else:
            self._set(field, value)

    def render(self) -> str:
        if self._assigned and not self._due_changed:
            # Items older than gsi1sk's mirror of the due key get it when first assigned.
            self.names |= {"#gsi1sk": "gsi1sk", "#lsi_due": "lsi_due_sk"}
            self._sets.append("#gsi1sk = #lsi_due")
        expression = "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        return expression


def _task_query(
    table: str, project_id: str, query: TaskQuery
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The Query for one list page, and the key attributes of the index it reads."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {":pk": {"S": it.project_pk(project_id)}}
    filters: list[str] = []
    request: dict[str, Any] = {
        "TableName": table,
        "ScanIndexForward": query.order == "asc",
        "ConsistentRead": True,
    }
    after = format_time(query.due_after) if query.due_after else None
    before = format_time(query.due_before) if query.due_before else None

    if query.sort is SortKey.due:
        request["IndexName"] = "lsi_due"
        key_names: tuple[str, ...] = ("pk", "sk", "lsi_due_sk")
        key_condition = "pk = :pk"
        if after or before:
            # "DUE#<t>" sorts before every "DUE#<t>#<task>", and ":" after every digit, so
            # BETWEEN gives exactly after <= due_at < before, without undated tasks.
            key_condition += " AND lsi_due_sk BETWEEN :lo AND :hi"
            values[":lo"] = {"S": f"DUE#{after or ''}"}
            values[":hi"] = {"S": f"DUE#{before or ':'}"}
    elif query.sort is SortKey.priority:
        request["IndexName"] = "lsi_priority"
        key_names = ("pk", "sk", "lsi_priority_sk")
        key_condition = "pk = :pk"
    else:
        key_names = ("pk", "sk")
        key_condition = "pk = :pk AND begins_with(sk, :task)"
        values[":task"] = {"S": "TASK#"}

    if query.sort is not SortKey.due:
        if after:
            names["#due"] = "due_at"
            values[":after"] = {"S": after}
            filters.append("#due >= :after")
        if before:
            names["#due"] = "due_at"
            values[":before"] = {"S": before}
            filters.append("#due < :before")
    if query.status is not None:
        names["#status"] = "status"
        values[":status"] = {"S": query.status.value}
        filters.append("#status = :status")
    if query.priority is not None:
        names["#priority"] = "priority"
        values[":priority"] = {"S": query.priority.value}
        filters.append("#priority = :priority")
    if query.label is not None:
        names["#labels"] = "labels"
        values[":label"] = {"S": query.label}
        filters.append("contains(#labels, :label)")

    request["KeyConditionExpression"] = key_condition
    request["ExpressionAttributeValues"] = values
    if names:
        request["ExpressionAttributeNames"] = names
    if filters:
        request["FilterExpression"] = " AND ".join(filters)
    return request, key_names
