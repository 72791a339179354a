"""``ArchiveStore`` on DynamoDB: one TransactWriteItems of the caller's membership check and
the project's update. While ``archived_at`` is set, every write into the project is
refused by its own transaction (``Table.transact(..., writable_project=)``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict
from tasklane.domain.models import Role, format_time
from tasklane.domain.trash import archive_changes


class DynamoArchive:
    def __init__(self, table: Table) -> None:
        self._table = table

    def set_archived(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        archived: bool,
        now: datetime,
    ) -> None:
        names = {
            "#version": "version",
            "#updated": "updated_at",
            "#by": "updated_by",
            "#archived": "archived_at",
            "#archived_by": "archived_by",
        }
        values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":now": {"S": format_time(now)},
            ":user": {"S": user_id},
        }
        sets = "SET #version = #version + :one, #updated = :now, #by = :user"
        if archived:
            marks = archive_changes(user_id, now)
            values[":archived"] = {"S": marks["archived_at"]}
            expression = f"{sets}, #archived = :archived, #archived_by = :user"
            condition = "attribute_exists(pk) AND attribute_not_exists(#archived)"
        else:
            expression = f"{sets} REMOVE #archived, #archived_by"
            condition = "attribute_exists(pk) AND attribute_exists(#archived)"
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.project_key(project_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        try:
            self._table.transact([self._table.member_check(project_id, user_id, roles), update])
        except TransactionCancelled as exc:
            if exc.failed(1) and not exc.failed(0) and exc.item(1) is not None:
                raise already(archived) from exc
            exc.raise_for(target=1, what="project")


def already(archived: bool) -> Conflict:
    if archived:
        return Conflict("the project is archived already", {"reason": "already_archived"})
    return Conflict("the project is not archived", {"reason": "not_archived"})
