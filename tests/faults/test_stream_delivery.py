"""Stream records delivered twice, out of order, or cut off by a crash: no drift.

The records are the table's real stream (read back from moto after real API writes),
converted as the poller converts them, and fed to the events handler by hand; after each
delivery pattern ``reconcile`` must find the projection equal to DynamoDB.

What "restart" means locally: moto keeps DynamoDB and its stream in memory, so a killed
``tasklane dev`` loses them (see test_runtime_kill.py). Within one moto, the stream poller
keeps its position in memory only: a restarted poller reads the shard again from its start
(TRIM_HORIZON), i.e. at-least-once, and the version-guarded, tombstoned consumers make the
replay harmless. That is what is demonstrated here. (In AWS, Lambda's event source mapping
keeps the checkpoint; a crashed batch is delivered again, the same at-least-once contract.)
"""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest
from load.run import emulator_client

from tasklane.local.lambda_context import new_context
from tasklane.local.runtime import LocalStack
from tasklane.local.stream_poller import StreamPoller, to_lambda_record

from .conftest import drain, new_project, new_task, reconcile_now, truncate_projection


class Crash(BaseException):
    """The process dying mid-batch: not an Exception, so nothing on the way catches it."""


@pytest.fixture(scope="module")
def records(stack: LocalStack, client: httpx.Client) -> list[dict[str, Any]]:
    """Real stream records of creates, repeated updates and deletes (poller stopped, so
    nothing is projected meanwhile)."""
    stack.stream_poller.stop()
    project_id = new_project(client, "replayed")
    tasks = [new_task(client, project_id, f"task {i}") for i in range(6)]
    for task_id, etag in tasks:
        for status in ("in_progress", "done", "todo"):
            response = client.patch(
                f"/tasks/{task_id}", json={"status": status}, headers={"If-Match": etag}
            )
            assert response.status_code == 204, response.text
            etag = response.headers["ETag"]
    for task_id, _ in tasks[:2]:  # for good: the trash would keep the items
        assert client.delete(f"/tasks/{task_id}", params={"permanent": "true"}).status_code == 204
    return read_stream(stack)


def read_stream(stack: LocalStack) -> list[dict[str, Any]]:
    region = stack.config.region
    dynamodb = emulator_client("dynamodb", stack.aws_endpoint_url, region)
    streams = emulator_client("dynamodbstreams", stack.aws_endpoint_url, region)
    arn = dynamodb.describe_table(TableName=stack.config.table_name)["Table"]["LatestStreamArn"]
    out: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            out += [to_lambda_record(r, arn, stack.config.region) for r in page["Records"]]
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return out


def deliver(batch: list[dict[str, Any]]) -> None:
    from tasklane.handlers.events import lambda_handler

    context = new_context(
        function_name="tasklane-events",
        region="us-east-1",
        account_id="123456789012",
        memory_mb=512,
        timeout_seconds=60.0,
    )
    result = lambda_handler({"Records": batch}, context)
    assert not result.get("batchItemFailures"), result


def deliver_all(records: list[dict[str, Any]], batch_size: int) -> None:
    for start in range(0, len(records), batch_size):
        deliver(records[start : start + batch_size])


def test_the_stream_has_what_the_test_needs(records: list[dict[str, Any]]) -> None:
    names = [r["eventName"] for r in records]
    assert names.count("REMOVE") >= 2
    assert names.count("MODIFY") >= 18


def test_every_record_twice(stack: LocalStack, records: list[dict[str, Any]]) -> None:
    truncate_projection(stack)
    deliver_all([r for record in records for r in (record, record)], batch_size=10)
    deliver_all(records, batch_size=25)  # and the whole stream once more
    report = reconcile_now(stack)
    assert report.total == 0, report.text()


def test_reversed_order(stack: LocalStack, records: list[dict[str, Any]]) -> None:
    """Deletes before creates, version 4 before version 1: the tombstones and the version
    guard keep the newest state, and a delete is not undone by its task's older images."""
    truncate_projection(stack)
    deliver_all(list(reversed(records)), batch_size=7)
    report = reconcile_now(stack)
    assert report.total == 0, report.text()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_with_duplicates(
    stack: LocalStack, records: list[dict[str, Any]], seed: int
) -> None:
    chance = random.Random(seed)
    stream = records + chance.sample(records, k=len(records) // 3)
    chance.shuffle(stream)
    truncate_projection(stack)
    deliver_all(stream, batch_size=chance.randint(1, 20))
    report = reconcile_now(stack)
    assert report.total == 0, report.text()


def test_a_poller_killed_mid_batch_resumes_without_loss_or_duplicates(
    stack: LocalStack, client: httpx.Client, records: list[dict[str, Any]]
) -> None:
    from tasklane.handlers.events import lambda_handler

    truncate_projection(stack)
    applied: list[int] = []

    def dies_half_way(event: dict[str, Any], context: Any) -> Any:
        half = event["Records"][: len(event["Records"]) // 2]
        lambda_handler({"Records": half}, context)  # these reach PostgreSQL ...
        applied.append(len(half))
        raise Crash  # ... and the process dies before the batch is checkpointed

    def poller(handler: Any) -> StreamPoller:
        return StreamPoller(
            stack.config.table_name,
            handler,
            region=stack.config.region,
            endpoint_url=stack.aws_endpoint_url,
            batch_size=len(records),
        )

    with pytest.raises(Crash):
        poller(dies_half_way).poll()
    assert applied, "the first poller delivered nothing before dying"
    half_done = reconcile_now(stack)
    assert half_done.total > 0, "the crash left nothing undone: the test proves nothing"

    # A new poller: its position was in the dead one's memory, so it starts over.
    restarted = poller(lambda_handler)
    drain(restarted)
    assert restarted.stats.failed_records == 0
    report = reconcile_now(stack)
    assert report.total == 0, report.text()
    # No duplicates: one row per DynamoDB item, nothing the stream deleted came back.
    assert report.tasks.postgres == report.tasks.dynamodb
    assert report.projects.postgres == report.projects.dynamodb
