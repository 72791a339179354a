"""``ProjectContents`` on DynamoDB: one kind of item of a project's partition at a time, in
key order, a Query per page of up to 1 MB (``TASK#``, ``COMMENT#``, ``ATTACHMENT#``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.attachments import record_from_item
from tasklane.dal.dynamodb.table import Table
from tasklane.domain.attachments import AttachmentRecord
from tasklane.domain.models import Comment, Task

T = TypeVar("T")


class DynamoProjectContents:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _items(self, project_id: str, prefix: str, convert: Callable[[it.Item], T]) -> Iterator[T]:
        query = {
            "TableName": self._table.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": prefix},
            },
        }
        while True:
            response = self._table.client.query(**query)  # type: ignore[arg-type]
            for item in response.get("Items", []):
                yield convert(item)
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def tasks(self, project_id: str) -> Iterator[Task]:
        return self._items(project_id, "TASK#", it.task_from_item)

    def comments(self, project_id: str) -> Iterator[Comment]:
        return self._items(project_id, "COMMENT#", it.comment_from_item)

    def attachments(self, project_id: str) -> Iterator[AttachmentRecord]:
        return self._items(project_id, "ATTACHMENT#", record_from_item)
