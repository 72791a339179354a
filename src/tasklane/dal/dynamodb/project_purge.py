"""``ProjectPurgeStore`` on DynamoDB: the purge of a project marked deleted.

Round trips: a page of sort keys is one Query of the memberships (strongly consistent,
keys only) and, when none is left, one Query of the partition; deleting a batch is one
BatchWriteItem (25 items); finishing is a conditional DeleteItem of the project item; the
next pass is an UpdateItem of it; the sweeper's work list is one Query on gsi1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table
from tasklane.domain.models import format_time
from tasklane.domain.project_purge import MEMBER_PREFIX, PURGE_PARTITION

_CONDITION_FAILED = "ConditionalCheckFailedException"
_MARKED = "attribute_exists(deleted_at)"


class DynamoProjectPurge:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _sort_keys(self, project_id: str, limit: int, prefix: str = "") -> list[str]:
        values = {":pk": {"S": it.project_pk(project_id)}}
        condition = "pk = :pk"
        if prefix:
            values[":prefix"] = {"S": prefix}
            condition += " AND begins_with(sk, :prefix)"
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ProjectionExpression="sk",
            ConsistentRead=True,
            Limit=limit,
        )
        return [item["sk"]["S"] for item in response.get("Items", [])]

    def next_sort_keys(self, project_id: str, limit: int) -> list[str]:
        return self._sort_keys(project_id, limit, MEMBER_PREFIX) or self._sort_keys(
            project_id, limit
        )

    def delete_items(self, project_id: str, sort_keys: list[str]) -> int:
        pk = {"S": it.project_pk(project_id)}
        return self._table.delete_keys([{"pk": pk, "sk": {"S": sk}} for sk in sort_keys])

    def finish(self, project_id: str) -> bool:
        try:
            self._table.client.delete_item(
                TableName=self._table.name,
                Key=it.project_key(project_id),
                ConditionExpression=_MARKED,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == _CONDITION_FAILED:
                return False
            raise
        return True

    def continue_later(self, project_id: str, now: datetime) -> None:
        try:
            self._table.client.update_item(
                TableName=self._table.name,
                Key=it.project_key(project_id),
                UpdateExpression="SET purge_passes = if_not_exists(purge_passes, :zero) + :one, "
                "gsi1sk = :now",
                ConditionExpression=_MARKED,
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                    ":now": {"S": format_time(now)},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != _CONDITION_FAILED:
                raise

    def stalled(self, before: datetime, limit: int) -> list[str]:
        request: dict[str, Any] = {
            "TableName": self._table.name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk AND gsi1sk < :before",
            "ExpressionAttributeValues": {
                ":pk": {"S": PURGE_PARTITION},
                ":before": {"S": format_time(before)},
            },
            "Limit": limit,
        }
        found = self._table.client.query(**request).get("Items", [])
        return [item["project_id"]["S"] for item in found if "project_id" in item]
