"""``TrashStore`` on DynamoDB.

A trashed task keeps its item, its comments, attachments and checklist; it gets
``deleted_at``, ``deleted_by`` and its purge time in the table's TTL attribute
(``expires_at``), and moves on gsi1 from its assignee's list (``ASSIGNEE#``) to its
project's trash (``TRASH#<project>``, newest first): so "assigned to me" never shows it and
the trash is one Query. Lists of the project filter it out (``attribute_not_exists``).
When TTL removes the item, the stream's REMOVE purges its children as a permanent delete
does. A trashed task does not count under the project's task limit: trashing lowers the
counter and restoring raises it, refused at the limit (409 ``limit_reached``). Restoring
is one BatchGetItem (the task, the caller's membership, the project) and one
TransactWriteItems whose checks hold what the read found.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import counters
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict, NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Role, Task, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey
from tasklane.domain.ports.trash import RestoreView
from tasklane.domain.prepared import PREPARED_FOR
from tasklane.domain.trash import RestoreConditions, project_state, trash_changes


def task_view(item: it.Item) -> dict[str, Any]:
    """A task item in API field names, with its purge time as the TTL holds it."""
    view = it.task_from_item(item).model_dump()
    if "expires_at" in item:
        view["purge_at"] = int(item["expires_at"]["N"])
    return view


class DynamoTrash:
    def __init__(self, table: Table) -> None:
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
        marks = trash_changes(user_id, now, retention_days)
        condition, values = Table.guard(expected_version)
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": "SET #version = #version + :one, #updated = :now, "
                "#by = :user, #deleted = :now, #deleted_by = :user, #expires = :purge, "
                "#gsi1pk = :trash, #gsi1sk = :trash_sk",
                "ConditionExpression": f"{condition} AND attribute_not_exists(#deleted)",
                "ExpressionAttributeNames": {
                    "#version": "version",
                    "#updated": "updated_at",
                    "#by": "updated_by",
                    "#deleted": "deleted_at",
                    "#deleted_by": "deleted_by",
                    "#expires": it.EXPIRES_AT,
                    "#gsi1pk": "gsi1pk",
                    "#gsi1sk": "gsi1sk",
                },
                "ExpressionAttributeValues": values
                | {
                    ":one": {"N": "1"},
                    ":now": {"S": marks["deleted_at"]},
                    ":user": {"S": user_id},
                    ":purge": {"N": str(marks["purge_at"])},
                    ":trash": {"S": it.trash_pk(parts[0])},
                    ":trash_sk": {"S": it.trash_sort_key(marks["deleted_at"], task_id)},
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._table.transact(
                [
                    self._table.member_check(parts[0], user_id, roles),
                    update,
                    counters.uncount_task(self._table.name, parts[0]),
                ],
                writable_project=parts[0],
            )
        except TransactionCancelled as exc:
            found = exc.item(1) if exc.failed(1) and not exc.failed(0) else None
            if found is not None and "deleted_at" in found:
                raise NotFound("task not found") from exc
            exc.raise_for(target=1, what="task")

    def list_trash(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Task]:
        self._table.require_member(project_id, user_id)
        found, next_key = self._table.gsi1_page(
            it.trash_pk(project_id), limit, start, forward=False
        )
        return Page([it.task_from_item(item) for item in found], next_key)

    def read_for_restore(self, task_id: str, user_id: str) -> RestoreView:
        parts = split_task_id(task_id)
        if parts is None:
            return RestoreView(None, None, project_state(None), False)
        project_id = parts[0]
        found = self._table.batch_get(
            [it.task_key(task_id), it.member_key(project_id, user_id), it.project_key(project_id)]
        )
        by_sk = {item["sk"]["S"]: item for item in found}
        task = by_sk.get(it.task_key(task_id)["sk"]["S"])
        if task is not None and PREPARED_FOR in task:
            task = None  # a prepared next occurrence is not in the trash: not there at all
        member = by_sk.get(f"MEMBER#{user_id}")
        project = by_sk.get("PROJECT")
        if member is None:
            return RestoreView(None, None, project_state(None), False)
        return RestoreView(
            task=task_view(task) if task is not None else None,
            role=Role(member["role"]["S"]),
            project=project_state(
                None if project is None else {"archived_at": project.get("archived_at")}
            ),
            # Not read here: the restoring write checks it (and names it when it fails), so
            # a restore stays two requests.
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
        names = {
            "#version": "version",
            "#updated": "updated_at",
            "#by": "updated_by",
            "#deleted": "deleted_at",
            "#deleted_by": "deleted_by",
            "#expires": it.EXPIRES_AT,
            "#gsi1pk": "gsi1pk",
            "#gsi1sk": "gsi1sk",
            "#due": "lsi_due_sk",
        }
        values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":now": {"S": format_time(now)},
            ":user": {"S": user_id},
            ":marked": {"S": conditions.deleted_at},
        }
        sets = ["#version = #version + :one", "#updated = :now", "#by = :user", "#gsi1sk = #due"]
        removes = ["#deleted", "#deleted_by", "#expires"]
        if conditions.assignee_id is not None:
            values[":assignee"] = {"S": it.assignee_pk(conditions.assignee_id)}
            sets.append("#gsi1pk = :assignee")
        else:
            removes.append("#gsi1pk")
            if changes.get("assignee_id", "") is None:
                names["#assignee"] = "assignee_id"
                removes.append("#assignee")
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.task_key(task_id),
                "UpdateExpression": f"SET {', '.join(sets)} REMOVE {', '.join(removes)}",
                "ConditionExpression": "#deleted = :marked",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
        project = {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": it.project_key(project_id),
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(#archived)",
                "ExpressionAttributeNames": {"#archived": "archived_at"},
            }
        }
        actions = [self._table.member_check(project_id, user_id, roles), project, update]
        assignee = conditions.assignee_id
        checks_assignee = assignee is not None and assignee != user_id
        if checks_assignee:
            actions.append(self._table.exists_check(it.member_key(project_id, str(assignee))))
        # Counted again (without ``quota``: counted, never refused).
        actions.append(counters.count_task(self._table.name, project_id, quota))
        try:
            self._table.transact(actions)
        except TransactionCancelled as exc:
            if exc.failed(0):
                exc.raise_for(target=2, what="task")
            if checks_assignee and exc.failed(3):
                raise Conflict(
                    "the assignee is no longer a member of the project; restore it unassigned",
                    {"reason": "assignee_not_member", "assignee_id": assignee},
                ) from exc
            if quota is not None and exc.failed(len(actions) - 1):
                raise counters.limit_reached(quota, "tasks in this project") from exc
            raise Conflict(
                "the task, its project or its assignee changed meanwhile; read it again",
                {"reason": "changed"},
            ) from exc
