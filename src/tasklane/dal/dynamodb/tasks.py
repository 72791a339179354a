"""``TaskStore`` on DynamoDB.

Round trips: create, get, update and delete are one request each (a TransactWriteItems that
checks the caller's membership — and the assignee's, when one is named — with the write, or
a BatchGetItem of the task and the membership). A page of a project's tasks is two: the
membership GetItem and one Query that reads at most ``limit + 1`` items, on the table (by
creation) or a local secondary index (by due date or priority). The tasks assigned to the
caller are one Query on gsi1, with no membership read: a stream consumer unassigns removed
members (``clear_assignments``).

Tasks per project (``LimitSettings.tasks_per_project``) are counted by ``tasks`` on the
project's counter item (``counters``), raised in the create's transaction and lowered by a
permanent delete of a live task; the trash lowers it and a restore raises it again
(``dynamodb.trash``), so a trashed task does not count (the TTL that purges it writes
nothing we could count with).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.recurrence import complete_occurrence, complete_prepared
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.task_updates import (
    TaskUpdate,
    completes,
    explain_refusal,
    guard_completion,
)
from tasklane.domain.errors import Conflict, NotFound, ValidationFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import (
    Role,
    SortKey,
    Task,
    TaskQuery,
    format_time,
)
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.prepared import PREPARED_FOR

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

    def create_task(
        self, task: Task, user_id: str, roles: Collection[Role], quota: Quota | None = None
    ) -> None:
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": it.task_to_item(task),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        assignee = self._assignee_check(task.project_id, user_id, task.assignee_id)
        # Always counted; refused at the limit only under ``quota``.
        counted = counters.count_task(self._table.name, task.project_id, quota)
        try:
            self._table.transact(
                [
                    self._table.member_check(task.project_id, user_id, roles),
                    *assignee,
                    put,
                    counted,
                ],
                writable_project=task.project_id,
            )
        except TransactionCancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            if exc.failed(1 + len(assignee)):
                raise Conflict("a task with this id already exists") from exc
            if quota is not None and exc.failed(2 + len(assignee)) and not exc.failed(0):
                raise counters.limit_reached(quota, "tasks in this project") from exc
            exc.raise_for(target=1 + len(assignee), what="project")

    def get_task(self, task_id: str, user_id: str) -> Task | None:
        parts = split_task_id(task_id)
        if parts is None:
            return None
        found = self._table.batch_get([it.task_key(task_id), it.member_key(parts[0], user_id)])
        task = next((i for i in found if i["sk"]["S"].startswith("TASK#")), None)
        member = any(i["sk"]["S"] == f"MEMBER#{user_id}" for i in found)
        if task is None or not member or "deleted_at" in task:
            return None  # a trashed task is read through the trash only
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
        condition, values = Table.guard(expected_version)
        expression = TaskUpdate(task_id, user_id, now)
        for field, value in changes.items():
            expression.change(field, value)
        # A trashed task takes no changes (it answers 404 like a deleted one).
        condition += " AND attribute_not_exists(#c_deleted)"
        expression.names["#c_deleted"] = "deleted_at"
        completing = completes(changes)
        if completing:
            # A recurring task is completed with its next occurrence (complete_occurrence):
            # this plain write is refused for it, and the refusal returns the task.
            condition += " AND " + guard_completion(expression.names, expression.values)
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": expression.render(),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": expression.names,
                "ExpressionAttributeValues": values | expression.values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        assignee = self._assignee_check(parts[0], user_id, changes.get("assignee_id"))
        try:
            self._table.transact(
                [self._table.member_check(parts[0], user_id, roles), *assignee, update],
                writable_project=parts[0],
            )
        except TransactionCancelled as exc:
            if assignee and exc.failed(1) and not exc.failed(0):
                raise ValidationFailed("the assignee is not a member", NOT_A_MEMBER) from exc
            target = 1 + len(assignee)
            found = exc.item(target) if exc.failed(target) and not exc.failed(0) else None
            explain_refusal(found, completing, expected_version)
            exc.raise_for(target=target, what="task")

    def complete_occurrence(
        self,
        task: Task,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        following: Task | None,
        now: datetime,
    ) -> None:
        complete_occurrence(self._table, task, user_id, roles, changes, following, now)

    def complete_prepared(
        self,
        task_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        complete_prepared(self._table, task_id, user_id, roles, changes, expected_version, now)

    def delete_task(
        self, task_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        parts = split_task_id(task_id)
        if parts is None:
            raise NotFound("task not found")
        member = self._table.member_check(parts[0], user_id, roles)
        # A live task frees its place under the project's task limit; a trashed one freed
        # it when it went to the trash. Which it is shows in the refusal of the first try
        # (the task found), so deleting a live task stays one request, from the trash two.
        live = self._table.guarded_delete(it.task_key(task_id), expected_version)
        live["Delete"]["ConditionExpression"] += " AND attribute_not_exists(#deleted)"
        live["Delete"].setdefault("ExpressionAttributeNames", {})["#deleted"] = "deleted_at"
        try:
            self._table.transact(
                [member, live, counters.uncount_task(self._table.name, parts[0])],
                writable_project=parts[0],
            )
            return
        except TransactionCancelled as exc:
            found = exc.item(1) if exc.failed(1) and not exc.failed(0) else None
            if found is None or "deleted_at" not in found:
                exc.raise_for(target=1, what="task")
            if PREPARED_FOR in found:
                raise NotFound("task not found") from exc  # not there until it is revealed
        trashed = self._table.guarded_delete(it.task_key(task_id), expected_version)
        try:
            self._table.transact([member, trashed], writable_project=parts[0])
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="task")

    def list_tasks(
        self, project_id: str, user_id: str, query: TaskQuery, start: PageKey | None
    ) -> Page[Task]:
        self._table.require_member(project_id, user_id)
        request, key_names = _task_query(self._table.name, project_id, query)
        found, next_key = self._table.page(request, query.limit, start, key_names)
        return Page([it.task_from_item(item) for item in found], next_key)

    # Assignments ----------------------------------------------------------------------
    def list_assigned(self, user_id: str, limit: int, start: PageKey | None) -> Page[Task]:
        """One Query on gsi1 (eventually consistent, like every GSI read) and, when the
        page has tasks, one BatchGetItem of the caller's memberships of their projects."""
        found, next_key = self._table.gsi1_page(it.assignee_pk(user_id), limit, start, hidden=False)
        tasks = [it.task_from_item(item) for item in found]
        projects = sorted({task.project_id for task in tasks})
        if not projects:
            return Page(tasks, next_key)
        keys = [it.member_key(project_id, user_id) for project_id in projects]
        member_of = {
            str(item["pk"]["S"]).removeprefix("PROJECT#")
            for item in self._table.batch_get(keys, ("pk",))
        }
        return Page([task for task in tasks if task.project_id in member_of], next_key)

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
            project = self._table.live_project_check(project_id)
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


def _task_query(
    table: str, project_id: str, query: TaskQuery
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The Query for one list page, and the key attributes of the index it reads."""
    values: dict[str, Any] = {":pk": {"S": it.project_pk(project_id)}}
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

    request["KeyConditionExpression"] = key_condition
    request["ExpressionAttributeValues"] = values
    add_filters(request, query, due=query.sort is not SortKey.due, status=True)
    return request, key_names


def add_filters(request: dict[str, Any], query: TaskQuery, *, due: bool, status: bool) -> None:
    """The query's filters that no key condition of ``request`` covers, as its
    FilterExpression: the due window (``due``), the status (``status``), priority, label."""
    names: dict[str, str] = request.setdefault("ExpressionAttributeNames", {})
    values: dict[str, Any] = request["ExpressionAttributeValues"]
    # Trashed tasks stay in the partition and its indexes until purged: filtered out.
    names["#deleted"] = "deleted_at"
    filters: list[str] = ["attribute_not_exists(#deleted)"]
    if due and query.due_after:
        names["#due"] = "due_at"
        values[":after"] = {"S": format_time(query.due_after)}
        filters.append("#due >= :after")
    if due and query.due_before:
        names["#due"] = "due_at"
        values[":before"] = {"S": format_time(query.due_before)}
        filters.append("#due < :before")
    if status and query.status is not None:
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
    if not names:
        del request["ExpressionAttributeNames"]
    if filters:
        request["FilterExpression"] = " AND ".join(filters)
