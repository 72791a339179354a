"""Idempotency records (Powertools) in the application table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from tasklane.resources import TABLE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

RECORD_SORT_KEY = "IDEMPOTENCY"


class SpreadDynamoDBPersistenceLayer(DynamoDBPersistenceLayer):
    """Keys each record by its own hash.

    With a composite-key table, Powertools puts every record under one static partition key
    (``idempotency#<function>``): a hot partition once POSTs reach a few hundred per second.
    Here the hash is the partition key and the sort key is constant, so records spread
    like the rest of the table.
    """

    def _get_key(self, idempotency_key: str) -> dict[str, Any]:
        return {
            self.key_attr: {"S": idempotency_key},
            str(self.sort_key_attr): {"S": RECORD_SORT_KEY},
        }


def persistence_layer(table_name: str, client: DynamoDBClient) -> SpreadDynamoDBPersistenceLayer:
    return SpreadDynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr=TABLE.partition_key,
        sort_key_attr=TABLE.sort_key,
        expiry_attr=TABLE.ttl_attribute,
        boto3_client=client,
    )
