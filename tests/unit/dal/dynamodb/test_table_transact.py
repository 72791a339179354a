"""Table.transact: one idempotent TransactWriteItems per attempt, retried on collisions."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tasklane.dal.dynamodb.table import CONFLICT_RETRIES, Table, TransactionCancelled

ACTION = {"Put": {"TableName": "t", "Item": {"pk": {"S": "P"}, "sk": {"S": "S"}}}}


class RecordingClient:
    """Answers each transaction with the next of ``outcomes`` (None: success)."""

    def __init__(self, outcomes: list[str | None]) -> None:
        self.outcomes = outcomes
        self.calls: list[dict[str, Any]] = []

    def transact_write_items(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request)
        code = self.outcomes.pop(0) if self.outcomes else None
        if code is None:
            return {}
        error = {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": code}],
        }
        raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]


def test_every_transaction_carries_a_client_request_token() -> None:
    """The SDK resends the same request after a timeout; the token makes that resend
    idempotent in DynamoDB instead of a second create that meets the first (409)."""
    client = RecordingClient([None, None])
    table = Table("t", lambda: client)  # type: ignore[arg-type, return-value]
    table.transact([ACTION])
    table.transact([ACTION])
    tokens = [call["ClientRequestToken"] for call in client.calls]
    assert all(tokens)
    assert len(set(tokens)) == 2


def test_a_collision_is_retried_as_a_new_transaction() -> None:
    client = RecordingClient(["TransactionConflict", None])
    table = Table("t", lambda: client)  # type: ignore[arg-type, return-value]
    table.transact([ACTION])
    assert len(client.calls) == 2
    assert client.calls[0]["ClientRequestToken"] != client.calls[1]["ClientRequestToken"]


def test_a_failed_condition_is_not_retried() -> None:
    client = RecordingClient(["ConditionalCheckFailed"] * (CONFLICT_RETRIES + 1))
    table = Table("t", lambda: client)  # type: ignore[arg-type, return-value]
    with pytest.raises(TransactionCancelled) as refused:
        table.transact([ACTION])
    assert refused.value.failed(0)
    assert len(client.calls) == 1
