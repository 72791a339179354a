"""SES refuses to send for a while: jobs are retried, then dead-lettered, then replayed;
each recipient gets exactly one e-mail and one in-app notice per job, nothing twice.

The local stack's SQS poller drives the real notifier handler (visibility timeout 2 s, as
``tasklane dev`` sets it; a job moves to the DLQ after 3 receives, as in AWS). SES failures
are injected on the notifier's own SES client (a botocore hook raising Throttling before the
call leaves), so the notifier, its idempotency records and the queue are all real.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tasklane.cli import dlq
from tasklane.domain.notifications import NotificationJob, NotificationKind, Recipient
from tasklane.local.mailbox import read_mailbox
from tasklane.local.runtime import LocalStack
from tasklane.resources import NOTIFICATIONS_QUEUE

from .conftest import dynamodb


@pytest.fixture
def ses_down(stack: LocalStack) -> Iterator[Callable[[bool], None]]:
    """``ses_down(True)``: every SendEmail of the notifier fails (throttled) until False."""
    from tasklane.wiring.notifier import root

    client = root.get().aws.ses  # the notifier function's SES client
    state = {"down": False, "refused": 0}

    def refuse(**_: Any) -> None:
        if state["down"]:
            state["refused"] += 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "injected"}},
                "SendEmail",
            )

    client.meta.events.register("before-call.sesv2.SendEmail", refuse)

    def switch(down: bool) -> None:
        state["down"] = down

    yield switch
    client.meta.events.unregister("before-call.sesv2.SendEmail", refuse)
    assert state["refused"] > 0, "no SendEmail was refused: the fault never happened"


def sqs(stack: LocalStack) -> Any:
    """An SQS client on the stack's moto (the operator's, as ``tasklane dlq`` makes one)."""
    return dlq.sqs_client(stack.aws_endpoint_url, stack.config.region)


def _jobs(count: int) -> list[NotificationJob]:
    run = uuid.uuid4().hex[:8]
    task = f"01jd{run}00000000000000000000"[:26] + "-01jd0000000000000000000001"
    jobs = []
    for n in range(count):
        recipient = f"rcpt-{run}-{n}"
        jobs.append(
            NotificationJob(
                id=f"assigned:{task}:{n + 2}:{recipient}",
                kind=NotificationKind.task_assigned,
                recipient_id=recipient,
                actor_id="actor",
                # No project: the notifier would check that the recipient is still a member
                # (tests/unit/logic/notifications covers that); this test is about SES.
                project_id=None,
                task_id=task,
                subject={"task_title": f"Task {n}", "project_name": "Faults", "actor_name": "A"},
                created_at="2026-11-25T09:00:00.000Z",
                recipient=Recipient(
                    user_id=recipient, email=f"{recipient}@example.com", display_name="R"
                ),
            )
        )
    return jobs


def _enqueue(stack: LocalStack, jobs: list[NotificationJob]) -> None:
    for start in range(0, len(jobs), 10):
        sqs(stack).send_message_batch(
            QueueUrl=stack.config.queue_url,
            Entries=[
                {"Id": str(i), "MessageBody": job.model_dump_json()}
                for i, job in enumerate(jobs[start : start + 10])
            ],
        )


def _depth(stack: LocalStack, url: str) -> int:
    attributes = sqs(stack).get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def _emails(stack: LocalStack, jobs: list[NotificationJob]) -> Counter[str]:
    wanted = {job.recipient.email for job in jobs if job.recipient}
    sent: Counter[str] = Counter()
    for mail in read_mailbox(stack.aws_endpoint_url):
        for to in mail["to"]:
            if to in wanted:
                sent[to] += 1
    return sent


def _notices(stack: LocalStack, jobs: list[NotificationJob]) -> Counter[str]:
    """Per recipient: in-app notices (``NOTE#`` items of the inbox), and the unread counter
    must agree with them (a retried job must not count twice)."""
    client = dynamodb(stack)
    counts: Counter[str] = Counter()
    for job in jobs:
        items = client.query(
            TableName=stack.config.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"INBOX#{job.recipient_id}"}},
        )["Items"]
        notes = [i for i in items if i["sk"]["S"].startswith("NOTE#")]
        counters = [int(i["unread"]["N"]) for i in items if i["sk"]["S"] == "UNREAD"]
        assert counters in ([], [len(notes)]), (job.recipient_id, counters, len(notes))
        counts[job.recipient_id] = len(notes)
    return counts


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_a_short_ses_outage_is_retried_and_sends_each_email_once(
    stack: LocalStack, ses_down: Callable[[bool], None]
) -> None:
    jobs = _jobs(6)
    ses_down(True)
    _enqueue(stack, jobs)
    # First deliveries fail (the in-app notice is written first, then SES refuses).
    assert _wait(lambda: sum(_notices(stack, jobs).values()) == len(jobs), 20)
    assert _emails(stack, jobs) == Counter()
    ses_down(False)  # back before the third receive: the retries land
    everyone = Counter({job.recipient.email: 1 for job in jobs if job.recipient})
    assert _wait(lambda: _emails(stack, jobs) == everyone, 30), _emails(stack, jobs)
    assert _wait(lambda: _depth(stack, stack.config.queue_url) == 0, 20)
    assert _depth(stack, stack.config.dlq_url) == 0
    assert set(_notices(stack, jobs).values()) == {1}  # the retries wrote no second notice


def test_a_long_ses_outage_dead_letters_then_a_replay_sends_each_email_once(
    stack: LocalStack, ses_down: Callable[[bool], None]
) -> None:
    jobs = _jobs(4)
    ses_down(True)
    _enqueue(stack, jobs)
    # Three receives, a visibility timeout apart, then the DLQ.
    limit = NOTIFICATIONS_QUEUE.max_receive_count * 2 * 3 + 20
    assert _wait(lambda: _depth(stack, stack.config.dlq_url) == len(jobs), limit)
    assert _depth(stack, stack.config.queue_url) == 0
    assert _emails(stack, jobs) == Counter()
    ses_down(False)

    replayed = dlq.replay(sqs(stack), stack.config.dlq_url, wait_seconds=0)
    assert replayed.moved == len(jobs), replayed.text()
    everyone = Counter({job.recipient.email: 1 for job in jobs if job.recipient})
    assert _wait(lambda: _emails(stack, jobs) == everyone, 30), _emails(stack, jobs)
    assert _wait(lambda: _depth(stack, stack.config.queue_url) == 0, 20)
    assert set(_notices(stack, jobs).values()) == {1}
    # A second replay of the same jobs (an operator's double click) sends nothing more.
    _enqueue(stack, jobs)
    assert _wait(lambda: _depth(stack, stack.config.queue_url) == 0, 20)
    assert _emails(stack, jobs) == everyone
    assert json.dumps(sorted(_notices(stack, jobs).values())) == json.dumps([1] * len(jobs))
