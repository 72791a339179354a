"""moto's DynamoDB behind our server is atomic, as DynamoDB is (see AtomicDynamoDB)."""

from __future__ import annotations

import threading

import boto3
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


def test_a_refused_transaction_leaves_no_trace_in_the_stream(local_config: LocalConfig) -> None:
    """A transaction whose condition fails writes nothing: no item, and no stream record
    for a reader to see (moto alone writes the items before the failing check, then puts a
    copy of the table back, which strands the reader's iterator as well)."""
    args = {
        "endpoint_url": local_config.endpoint_url,
        "region_name": local_config.region,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    db = boto3.client("dynamodb", **args)
    streams = boto3.client("dynamodbstreams", **args)
    table = local_config.table_name
    arn = db.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")[
        "ShardIterator"
    ]
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
