"""``tasklane dlq replay`` against moto: jobs dead-lettered by real redrive (three receives)
go back to their queue with bodies and attributes intact, and leave the DLQ."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from load.run import emulator_client

from tasklane.cli import dlq, main
from tasklane.local import bootstrap
from tasklane.local.emulators import MotoServer
from tasklane.resources import NOTIFICATIONS_QUEUE


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = MotoServer(port=0)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def queues(endpoint: str) -> tuple[Any, str, str]:
    sqs = emulator_client("sqs", endpoint)
    name = f"jobs-{id(sqs)}"
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    attributes = NOTIFICATIONS_QUEUE.queue_attributes(dlq_arn)
    attributes["ReceiveMessageWaitTimeSeconds"] = "0"
    queue_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return sqs, queue_url, dlq_url


def _dead_letter(sqs: Any, queue_url: str, count: int) -> list[str]:
    """Jobs that fail every delivery: received max_receive_count times, never deleted."""
    bodies = [
        json.dumps({"id": f"assigned:t{i}:2:u{i}", "kind": "task_assigned"}) for i in range(count)
    ]
    for body in bodies:
        sqs.send_message(
            QueueUrl=queue_url,
            MessageBody=body,
            MessageAttributes={"kind": {"DataType": "String", "StringValue": "task_assigned"}},
        )
    for _ in range(NOTIFICATIONS_QUEUE.max_receive_count + 1):
        while sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages"):
            pass
    return bodies


def _drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages"):
        got += batch
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )
    return got


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def test_replay_moves_every_job_back_unchanged(
    queues: tuple[Any, str, str], endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs, queue_url, dlq_url = queues
    bodies = _dead_letter(sqs, queue_url, 13)
    assert _depth(sqs, dlq_url) == 13, "moto did not dead-letter the jobs"
    assert _depth(sqs, queue_url) == 0

    assert main(["dlq", "peek", "--queue", dlq_url, "--aws-endpoint", endpoint]) == 0
    assert "13 message(s)" in capsys.readouterr().out
    assert main(["dlq", "replay", "--queue", dlq_url, "--aws-endpoint", endpoint]) == 0
    assert f"moved 13 message(s) {dlq_url} -> {queue_url}" in capsys.readouterr().out

    assert _depth(sqs, dlq_url) == 0
    back = _drain(sqs, queue_url)
    assert sorted(m["Body"] for m in back) == sorted(bodies)
    assert all(m["MessageAttributes"]["kind"]["StringValue"] == "task_assigned" for m in back)


def test_replay_stops_at_max(queues: tuple[Any, str, str]) -> None:
    sqs, queue_url, dlq_url = queues
    _dead_letter(sqs, queue_url, 7)
    result = dlq.replay(sqs, dlq_url, max_messages=5, wait_seconds=0)
    assert result.moved == 5
    assert not result.failed
    assert _depth(sqs, queue_url) == 5
    assert _depth(sqs, dlq_url) == 2


def test_the_default_queue_is_the_local_bootstraps() -> None:
    assert dlq.DEFAULT_QUEUE_NAME == bootstrap.LOCAL_QUEUE_NAME
