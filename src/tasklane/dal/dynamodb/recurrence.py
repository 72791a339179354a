"""Completing a recurring task on DynamoDB: the completion and the next occurrence in one
TransactWriteItems; and the next occurrence prepared ahead (:mod:`tasklane.domain.prepared`)
so that the completion is one request.

The completion is guarded by the version the refused plain write found and by "not done
yet", and marks the task (``recurrence_next``) so that completing it again (after un-doing
it) creates nothing; the next occurrence is a conditional put of a derived id. Of any number
of concurrent completions exactly one passes both; the others are refused and, tried again,
find the task done (a plain completion).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.task_updates import TaskUpdate
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.models import Role, Status, Task, format_time
from tasklane.domain.ports.tasks import NotPrepared
from tasklane.domain.prepared import NEXT_PREPARED, PREPARED_FOR, PREPARED_FROM, RECURRENCE_NEXT
from tasklane.domain.recurrence import next_task_id

#: ``recurrence_next`` when completing found the series ended (no next occurrence).
SERIES_ENDED = "-"


def _completion(
    table: Table,
    task: Task,
    user_id: str,
    changes: dict[str, Any],
    marker: str,
    now: datetime,
) -> dict[str, Any]:
    expression = TaskUpdate(task.id, user_id, now)
    for field, value in changes.items():
        expression.change(field, value)
    expression.set(RECURRENCE_NEXT, marker)
    expression.names |= {"#c_status": "status", "#c_deleted": "deleted_at"}
    expression.values |= {
        ":c_expected": {"N": str(task.version)},
        ":c_done": {"S": Status.done.value},
    }
    return {
        "Update": {
            "TableName": table.name,
            "Key": it.task_key(task.id),
            "UpdateExpression": expression.render(),
            "ConditionExpression": "#version = :c_expected AND #c_status <> :c_done "
            "AND attribute_not_exists(#c_deleted)",
            "ExpressionAttributeNames": expression.names,
            "ExpressionAttributeValues": expression.values,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    }


def complete_occurrence(
    table: Table,
    task: Task,
    user_id: str,
    roles: Collection[Role],
    changes: dict[str, Any],
    following: Task | None,
    now: datetime,
) -> None:
    """One request (two only when the next occurrence already exists: then the completion
    is written alone). PreconditionFailed when the task changed since ``task``."""
    member = table.member_check(task.project_id, user_id, roles)
    marker = following.id if following else SERIES_ENDED
    actions = [member, _completion(table, task, user_id, changes, marker, now)]
    if following is not None:
        actions.append(
            {
                "Put": {
                    "TableName": table.name,
                    "Item": it.task_to_item(following),
                    # Over its prepared copy, if there is one (a completion that could not
                    # reveal it: the copy was behind the task).
                    "ConditionExpression": "attribute_not_exists(pk) OR attribute_exists(#for)",
                    "ExpressionAttributeNames": {"#for": PREPARED_FOR},
                }
            }
        )
        # Counted, never refused: completing must not fail at the project's task limit.
        actions.append(counters.count_task(table.name, task.project_id, None))
    try:
        table.transact(actions, writable_project=task.project_id)
    except TransactionCancelled as exc:
        if following is not None and exc.failed(2) and not (exc.failed(0) or exc.failed(1)):
            # Created already (completed, un-done, completed again): complete it alone.
            alone = [member, _completion(table, task, user_id, changes, following.id, now)]
            try:
                table.transact(alone, writable_project=task.project_id)
            except TransactionCancelled as again:
                again.raise_for(target=1, what="task")
            return
        exc.raise_for(target=1, what="task")


# The next occurrence prepared ahead -----------------------------------------------------


def complete_prepared(
    table: Table,
    task_id: str,
    user_id: str,
    roles: Collection[Role],
    changes: dict[str, Any],
    expected_version: int | None,
    now: datetime,
) -> None:
    """Completes the task and reveals its prepared next occurrence: one TransactWriteItems,
    without reading the task. :class:`NotPrepared` (with the task when the refusal returned
    it) when there is no current prepared copy to reveal: the task changed since it was
    copied, it does not recur, it is done, or it created its next occurrence before."""
    project_id = it.task_project(task_id)
    following_id = next_task_id(task_id)
    expression = TaskUpdate(task_id, user_id, now)
    for field, value in changes.items():
        expression.change(field, value)
    expression.set(RECURRENCE_NEXT, following_id)
    expression.remove(NEXT_PREPARED)
    expression.names |= {
        "#c_stamp": NEXT_PREPARED,
        "#c_status": "status",
        "#c_deleted": "deleted_at",
        "#c_next": RECURRENCE_NEXT,
    }
    expression.values[":c_done"] = {"S": Status.done.value}
    condition = (
        "#c_stamp = #version AND #c_status <> :c_done AND attribute_not_exists(#c_deleted)"
        " AND attribute_not_exists(#c_next)"
    )
    if expected_version is not None:
        condition += " AND #version = :c_expected"
        expression.values[":c_expected"] = {"N": str(expected_version)}
    completion = {
        "Update": {
            "TableName": table.name,
            "Key": it.task_key(task_id),
            "UpdateExpression": expression.render(),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": expression.names,
            "ExpressionAttributeValues": expression.values,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    }
    stamp = {"S": format_time(now)}
    reveal = {
        "Update": {
            "TableName": table.name,
            "Key": it.task_key(following_id),
            # Created now, by whoever completed its predecessor.
            "UpdateExpression": "SET #created = :now, #updated = :now, #created_by = :by, "
            "#by = :by REMOVE #deleted, #for, #from",
            "ConditionExpression": "#for = :for",
            "ExpressionAttributeNames": {
                "#created": "created_at",
                "#updated": "updated_at",
                "#created_by": "created_by",
                "#by": "updated_by",
                "#deleted": "deleted_at",
                "#for": PREPARED_FOR,
                "#from": PREPARED_FROM,
            },
            "ExpressionAttributeValues": {
                ":now": stamp,
                ":by": {"S": user_id},
                ":for": {"S": task_id},
            },
        }
    }
    actions = [
        table.member_check(project_id, user_id, roles),
        completion,
        reveal,
        # Counted, never refused: completing must not fail at the project's task limit.
        counters.count_task(table.name, project_id, None),
    ]
    try:
        table.transact(actions, writable_project=project_id)
    except TransactionCancelled as exc:
        found = exc.item(1) if exc.failed(1) and not exc.failed(0) else None
        if found is not None and "deleted_at" not in found:
            if expected_version not in (None, int(found["version"]["N"])):
                exc.raise_for(target=1, what="task")
            raise NotPrepared(it.task_from_item(found), RECURRENCE_NEXT in found) from exc
        if exc.failed(2) and not (exc.failed(0) or exc.failed(1)):
            raise NotPrepared(None, False) from exc  # the copy was withdrawn meanwhile
        if found is not None:
            raise NotFound("task not found") from exc  # in the trash
        exc.raise_for(target=1, what="task")


class DynamoPreparedOccurrences:
    """:class:`tasklane.domain.ports.tasks.PreparedOccurrences` on the table."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def task_of(self, image: Mapping[str, Any]) -> Task:
        return it.task_from_item(it.serialize(dict(image)))

    def prepare(self, task: Task, following: Task, now: datetime) -> bool:
        copy = it.task_to_item(following) | it.serialize(
            {"deleted_at": format_time(now), PREPARED_FOR: task.id, PREPARED_FROM: task.version}
        )
        stamp = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task.id),
                "UpdateExpression": "SET #stamp = :version",
                # Only a copy of the task as it is now, while it still needs one.
                "ConditionExpression": "#version = :version AND #status <> :done "
                "AND attribute_exists(#recurrence) AND attribute_not_exists(#deleted) "
                "AND attribute_not_exists(#next)",
                "ExpressionAttributeNames": {
                    "#stamp": NEXT_PREPARED,
                    "#version": "version",
                    "#status": "status",
                    "#recurrence": "recurrence",
                    "#deleted": "deleted_at",
                    "#next": RECURRENCE_NEXT,
                },
                "ExpressionAttributeValues": {
                    ":version": {"N": str(task.version)},
                    ":done": {"S": Status.done.value},
                },
            }
        }
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": copy,
                # Never over the occurrence itself, once it exists.
                "ConditionExpression": "attribute_not_exists(pk) OR attribute_exists(#for)",
                "ExpressionAttributeNames": {"#for": PREPARED_FOR},
            }
        }
        try:
            self._table.transact([stamp, put], writable_project=task.project_id)
        except (TransactionCancelled, NotFound, Conflict):
            return False  # the task moved on (a later change prepares), or its project did
        return True

    def withdraw(self, task_id: str, version: int) -> None:
        try:
            self._table.client.delete_item(
                TableName=self._table.name,
                Key=it.task_key(next_task_id(task_id)),
                ConditionExpression="#for = :for AND #from <= :version",
                ExpressionAttributeNames={"#for": PREPARED_FOR, "#from": PREPARED_FROM},
                ExpressionAttributeValues={
                    ":for": {"S": task_id},
                    ":version": {"N": str(version)},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
