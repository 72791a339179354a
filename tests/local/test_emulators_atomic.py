"""moto's DynamoDB behind our server is atomic, as DynamoDB is (see AtomicDynamoDB)."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tasklane.local.bootstrap import LocalConfig

WRITERS = 20
ROUNDS = 5
#: moto deep-copies the whole table before each transaction: a fuller table widens the race.
FILLER_ITEMS = 400


def test_concurrent_conditional_writes_never_lose_an_update(local_config: LocalConfig) -> None:
    """20 writers race read-then-conditional-write on one item: each success is one increment.

    Without serialisation, moto lets two writers pass the same version check, and a failing
    transaction restores a table snapshot over a committed write.
    """
    db = boto3.client(
        "dynamodb",
        endpoint_url=local_config.endpoint_url,
        region_name=local_config.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    table = local_config.table_name
    key = {"pk": {"S": "RACE"}, "sk": {"S": "ITEM"}}
    db.put_item(TableName=table, Item={**key, "version": {"N": "0"}})
    filler = [
        {
            "PutRequest": {
                "Item": {"pk": {"S": f"FILL#{n}"}, "sk": {"S": "X"}, "data": {"S": "x" * 200}}
            }
        }
        for n in range(FILLER_ITEMS)
    ]
    for start in range(0, FILLER_ITEMS, 25):
        db.batch_write_item(RequestItems={table: filler[start : start + 25]})
    successes: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for _ in range(ROUNDS):
            seen = db.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]["version"]
            check = {
                "TableName": table,
                "Key": key,
                "UpdateExpression": "SET #v = #v + :one",
                "ConditionExpression": "#v = :seen",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":seen": seen},
            }
            try:
                # Alternate plain conditional updates and transactions: both must be atomic.
                if n % 2:
                    db.update_item(**check)
                else:
                    db.transact_write_items(TransactItems=[{"Update": check}])
            except ClientError as error:
                code = error.response["Error"]["Code"]
                assert code in ("ConditionalCheckFailedException", "TransactionCanceledException")
                continue
            with lock:
                successes.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = db.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]["version"]["N"]
    assert successes
    assert int(final) == len(successes)


def _clients(local_config: LocalConfig) -> tuple[Any, Any]:
    args = {
        "endpoint_url": local_config.endpoint_url,
        "region_name": local_config.region,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    return boto3.client("dynamodb", **args), boto3.client("dynamodbstreams", **args)


def _latest(db: Any, streams: Any, table: str) -> str:
    """An iterator at the end of the table's stream."""
    arn = db.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    found = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")
    return str(found["ShardIterator"])


def test_a_refused_transaction_leaves_no_trace_in_the_stream(local_config: LocalConfig) -> None:
    """A transaction whose condition fails writes nothing: no item, and no stream record
    for a reader to see (moto alone writes the items before the failing check, then puts a
    copy of the table back, which strands the reader's iterator as well)."""
    db, streams = _clients(local_config)
    table = local_config.table_name
    iterator = _latest(db, streams, table)
    ghost = {"pk": {"S": "GHOST"}, "sk": {"S": "ITEM"}}
    refused = [
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": {"pk": {"S": "MEMBER"}, "sk": {"S": "NOBODY"}},
                "ConditionExpression": "attribute_exists(pk)",
            }
        },
        {"Put": {"TableName": table, "Item": ghost}},
    ]
    try:
        db.transact_write_items(TransactItems=refused)
    except ClientError as error:
        reasons = error.response["CancellationReasons"]
        assert [r["Code"] for r in reasons] == ["ConditionalCheckFailed", "None"]
    else:
        raise AssertionError("the transaction was not refused")
    assert "Item" not in db.get_item(TableName=table, Key=ghost, ConsistentRead=True)
    read = streams.get_records(ShardIterator=iterator)
    assert read["Records"] == []
    # The reader's iterator still follows the shard: the next write reaches it.
    real = {"pk": {"S": "REAL"}, "sk": {"S": "ITEM"}}
    db.put_item(TableName=table, Item=real)
    records = streams.get_records(ShardIterator=read["NextShardIterator"])["Records"]
    assert [r["dynamodb"]["Keys"] for r in records] == [real]


def test_a_transaction_refused_midway_puts_back_what_it_wrote(local_config: LocalConfig) -> None:
    """A write moto refuses only when it applies it (an update that adds to a string) undoes
    the transaction's earlier writes, and their stream records, leaving the others alone."""
    db, streams = _clients(local_config)
    table = local_config.table_name
    iterator = _latest(db, streams, table)
    kept = {"pk": {"S": "KEPT"}, "sk": {"S": "ITEM"}}
    db.put_item(TableName=table, Item={**kept, "title": {"S": "before"}})
    fresh = {"pk": {"S": "FRESH"}, "sk": {"S": "ITEM"}}
    text = {"pk": {"S": "TEXT"}, "sk": {"S": "ITEM"}}
    db.put_item(TableName=table, Item={**text, "n": {"S": "not a number"}})
    read = streams.get_records(ShardIterator=iterator)
    assert len(read["Records"]) == 2  # the two puts above
    refused = [
        {"Put": {"TableName": table, "Item": {**kept, "title": {"S": "after"}}}},
        {"Put": {"TableName": table, "Item": fresh}},
        {
            "Update": {
                "TableName": table,
                "Key": text,
                "UpdateExpression": "SET n = n + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
    ]
    with pytest.raises(ClientError) as refusal:
        db.transact_write_items(TransactItems=refused)
    code = refusal.value.response["Error"]["Code"]
    assert code in ("ValidationException", "TransactionCanceledException")
    item = db.get_item(TableName=table, Key=kept, ConsistentRead=True)["Item"]
    assert item["title"] == {"S": "before"}
    assert "Item" not in db.get_item(TableName=table, Key=fresh, ConsistentRead=True)
    assert streams.get_records(ShardIterator=read["NextShardIterator"])["Records"] == []


def test_a_transaction_copies_only_the_items_it_writes(
    local_config: LocalConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto alone deep-copies the whole table (every item and stream record) once per action:
    seconds on a full table, past the SDK's read timeout, whose retry then met the
    transaction's own write (409). The table is never copied now."""
    from moto.dynamodb.models.table import Table

    def refuse(_table: Table, _memo: dict[int, Any]) -> Table:
        raise AssertionError("the whole table was copied")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)
    db, _ = _clients(local_config)
    table = local_config.table_name
    key = {"pk": {"S": "T"}, "sk": {"S": "1"}}
    member = {"pk": {"S": "P"}, "sk": {"S": "MEMBER"}}
    db.put_item(TableName=table, Item=member)
    db.transact_write_items(
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": table,
                    "Key": member,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            {
                "Put": {
                    "TableName": table,
                    "Item": key,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
    )
    assert "Item" in db.get_item(TableName=table, Key=key, ConsistentRead=True)
