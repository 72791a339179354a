"""``ProjectionSource`` (tasklane.domain.ports.projection) on DynamoDB: every item the
projection follows, read whole.

The only Scan in the code: reconcile is an operator's tool, not an API path. Paged, and
filtered to the three projected item types (the filter still reads the whole table).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tasklane.dal.dynamodb.items import deserialize
from tasklane.dal.dynamodb.table import Table


class DynamoProjectedItems:
    def __init__(self, table: Table) -> None:
        self._table = table

    def projected_items(self) -> Iterator[dict[str, Any]]:
        paginator = self._table.client.get_paginator("scan")
        pages = paginator.paginate(
            TableName=self._table.name,
            FilterExpression="#type IN (:task, :project, :member)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={
                ":task": {"S": "task"},
                ":project": {"S": "project"},
                ":member": {"S": "member"},
            },
        )
        for page in pages:
            for item in page.get("Items", []):
                yield deserialize(item)
