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
