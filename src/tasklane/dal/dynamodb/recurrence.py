"""Completing a recurring task on DynamoDB: the completion and the next occurrence in one
TransactWriteItems.

The completion is guarded by the version the refused plain write found and by "not done
yet", and marks the task (``recurrence_next``) so that completing it again (after un-doing
it) creates nothing; the next occurrence is a conditional put of a derived id. Of any number
of concurrent completions exactly one passes both; the others are refused and, tried again,
find the task done (a plain completion).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.dal.dynamodb.task_updates import TaskUpdate
from tasklane.domain.models import Role, Status, Task

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
    expression.set(it.RECURRENCE_NEXT, marker)
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
                    "ConditionExpression": "attribute_not_exists(pk)",
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
