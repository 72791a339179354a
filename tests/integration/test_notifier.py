"""The notifier against moto: the real queue (with its DLQ), SES, the table, and the
in-app notifications API on top.

The queue is driven by the local SQS poller (the stand-in for Lambda's event source
mapping), with a one-second visibility timeout so retries come within seconds.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tasklane.domain.notifications import NotificationJob, NotificationKind, Recipient
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.mailbox import read_mailbox
from tasklane.local.sqs_poller import SqsPoller

from .conftest import Api
from .support import clients

pytestmark = pytest.mark.integration

TASK = "01jd0000000000000000000000-01jd0000000000000000000001"


@pytest.fixture
def notif(aws: LocalConfig) -> Iterator[LocalConfig]:
    from tasklane import wiring
    from tasklane.local.launcher import update_environ

    saved = update_environ(
        {"TASKLANE_NOTIFICATIONS_QUEUE_URL": aws.queue_url, "TASKLANE_MAIL_SENDER": aws.mail_sender}
    )
    wiring.reset()  # the containers read the queue and the sender from the environment
    yield aws
    purge(aws)
    update_environ(saved)
    wiring.reset()


def purge(config: LocalConfig) -> None:
    """Leave no message behind: moto's state is shared by every server in this process."""
    for url in (config.queue_url, config.dlq_url):
        clients().sqs.purge_queue(QueueUrl=url)


def make_job(n: int, recipient_id: str = "user-b", **changes: Any) -> NotificationJob:
    job = NotificationJob(
        id=f"assigned:{TASK}:{n}:{recipient_id}",
        kind=NotificationKind.task_assigned,
        recipient_id=recipient_id,
        actor_id="user-a",
        project_id=TASK.split("-")[0],
        task_id=TASK,
        subject={"task_title": f"Task <{n}>", "project_name": "Launch", "actor_name": "Ada"},
        created_at=f"2025-03-01T09:{n:02d}:00.000Z",
        recipient=Recipient(
            user_id=recipient_id,
            email=f"{recipient_id}@example.com",
            display_name="Bob",
            time_zone="UTC",
        ),
    )
    return job.model_copy(update=changes)


def poller(config: LocalConfig) -> SqsPoller:
    """The local stack's notifier poller, driven step by step, retrying within a second."""
    from tasklane.local.runtime import notifier_poller

    return notifier_poller(config, visibility_timeout=1)


def lambda_context(function_name: str) -> Any:
    from tasklane.local.lambda_context import new_context

    return new_context(
        function_name=function_name,
        region="us-east-1",
        account_id="123456789012",
        memory_mb=256,
        timeout_seconds=30.0,
    )


def send(config: LocalConfig, bodies: list[str]) -> None:
    clients().sqs.send_message_batch(
        QueueUrl=config.queue_url,
        Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies)],
    )


def queue_depth(config: LocalConfig, url: str) -> int:
    attributes = clients().sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(v) for v in attributes.values())


def drain(config: LocalConfig, p: SqsPoller, timeout: float = 20.0) -> None:
    """Poll until the queue is empty (retries included, DLQ moves done)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p.poll()
        if queue_depth(config, config.queue_url) == 0:
            return
    raise AssertionError("the queue did not drain")


def test_a_poison_job_goes_to_the_dlq_after_three_receives_the_rest_is_sent(
    notif: LocalConfig,
) -> None:
    send(notif, [make_job(1).model_dump_json(), "{not a job", make_job(2).model_dump_json()])
    p = poller(notif)
    drain(notif, p)

    mail = read_mailbox(notif.endpoint_url)
    assert sorted(m["subject"] for m in mail) == [
        "Ada assigned you “Task <1>”",
        "Ada assigned you “Task <2>”",
    ]
    assert all(m["to"] == ["user-b@example.com"] for m in mail)
    assert all(m["from"] == notif.mail_sender for m in mail)
    dead = clients().sqs.receive_message(
        QueueUrl=notif.dlq_url, MessageSystemAttributeNames=["All"], WaitTimeSeconds=1
    )["Messages"]
    assert [m["Body"] for m in dead] == ["{not a job"]
    assert int(dead[0]["Attributes"]["ApproximateReceiveCount"]) >= 3
    # Three deliveries of the poison job failed; the two good ones were deleted at once.
    assert p.stats.failed == 3
    assert p.stats.deleted == 2


def test_a_duplicated_job_sends_one_email_and_writes_one_notice(
    notif: LocalConfig, api: Api
) -> None:
    body = make_job(1).model_dump_json()
    send(notif, [body, body])
    p = poller(notif)
    drain(notif, p)
    send(notif, [body])  # and once more, later
    drain(notif, p)

    assert len(read_mailbox(notif.endpoint_url)) == 1
    listed = api.get("/notifications", user="user-b")
    assert listed.status == 200, listed.body
    assert listed.body["unread"] == 1
    assert [n["title"] for n in listed.body["items"]] == ["Ada assigned you “Task <1>”"]


def test_the_email_has_an_escaped_html_part_and_a_link(notif: LocalConfig) -> None:
    send(notif, [make_job(1, subject={"task_title": "<script>x</script>"}).model_dump_json()])
    drain(notif, poller(notif))
    (mail,) = read_mailbox(notif.endpoint_url)
    assert mail["html"] is not None
    assert "&lt;script&gt;x&lt;/script&gt;" in mail["html"]
    assert "<script>" not in mail["html"]
    assert f"/tasks/{TASK}" in mail["html"]
    assert "<script>x</script>" in mail["text"]  # derived from the HTML moto kept


def test_aws_calls_per_job(notif: LocalConfig) -> None:
    """SES 1 + DynamoDB 1 transaction + 2 idempotency writes; a replay 1 read-back."""
    from tasklane.handlers.notifier import lambda_handler
    from tasklane.wiring.notifier import root

    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    aws = root.get().aws  # the notifier function's clients
    counted = [aws.dynamodb, aws.ses]
    for client in counted:
        client.meta.events.register("before-call.*", count)
    try:
        event = {
            "Records": [
                {
                    "messageId": f"m{n}",
                    "receiptHandle": "r",
                    "body": make_job(n).model_dump_json(),
                    "attributes": {"ApproximateReceiveCount": "1"},
                    "messageAttributes": {},
                    "md5OfBody": "",
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                    "awsRegion": "us-east-1",
                }
                for n in (1, 2, 3)
            ]
        }
        context = lambda_context("tasklane-notifier")
        assert lambda_handler(event, context) == {"batchItemFailures": []}
        assert calls == {"SendEmail": 3, "TransactWriteItems": 3, "PutItem": 3, "UpdateItem": 3}
        calls.clear()
        assert lambda_handler(event, context) == {"batchItemFailures": []}
        # Already delivered: the conditional put returns the stored record; nothing is sent.
        assert calls == {"PutItem": 3}
    finally:
        for client in counted:
            client.meta.events.unregister("before-call.*", count)


# -- the in-app API -------------------------------------------------------------------------------
def deliver(config: LocalConfig, jobs: list[NotificationJob]) -> None:
    for start in range(0, len(jobs), 10):
        send(config, [j.model_dump_json() for j in jobs[start : start + 10]])
    drain(config, poller(config))


def test_list_read_and_read_all(notif: LocalConfig, api: Api) -> None:
    deliver(notif, [make_job(n) for n in range(1, 6)] + [make_job(9, recipient_id="user-c")])

    first = api.get("/notifications", user="user-b", query={"limit": 2})
    assert first.status == 200
    assert first.body["unread"] == 5
    assert [n["title"] for n in first.body["items"]] == [
        "Ada assigned you “Task <5>”",
        "Ada assigned you “Task <4>”",
    ]
    note = first.body["items"][0]
    assert set(note) == {
        "id", "kind", "title", "body", "task_id", "project_id", "actor_id", "url",
        "created_at", "read_at",
    }  # fmt: skip
    assert note["kind"] == "task_assigned"
    assert note["read_at"] is None
    assert note["url"].endswith(f"/tasks/{TASK}")
    assert note["created_at"] == "2025-03-01T09:05:00.000Z"
    seen = [n["id"] for n in first.body["items"]]
    cursor = first.body["next_cursor"]
    while cursor:
        page = api.get("/notifications", user="user-b", query={"limit": 2, "cursor": cursor})
        assert page.status == 200
        assert page.body["unread"] == 5
        seen += [n["id"] for n in page.body["items"]]
        cursor = page.body["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)

    # Someone else's notice is unknown; so is nonsense.
    other = api.get("/notifications", user="user-c").body["items"][0]["id"]
    assert api.post(f"/notifications/{other}/read", user="user-b").status == 404
    missing = api.post("/notifications/not-an-id/read", user="user-b")
    assert missing.status == 404
    assert missing.error_code == "not_found"
    assert set(missing.body["error"]) == {"code", "message", "details"}

    assert api.post(f"/notifications/{seen[0]}/read", user="user-b").status == 204
    assert api.post(f"/notifications/{seen[0]}/read", user="user-b").status == 204  # idempotent
    after = api.get("/notifications", user="user-b")
    assert after.body["unread"] == 4
    assert after.body["items"][0]["read_at"] is not None
    unread = api.get("/notifications", user="user-b", query={"unread_only": "true"})
    assert [n["id"] for n in unread.body["items"]] == seen[1:]

    assert api.post("/notifications/read-all", user="user-b").status == 204
    done = api.get("/notifications", user="user-b")
    assert done.body["unread"] == 0
    assert all(n["read_at"] for n in done.body["items"])
    assert (
        api.get("/notifications", user="user-b", query={"unread_only": "true"}).body["items"] == []
    )
    assert api.get("/notifications", user="user-c").body["unread"] == 1  # untouched


def test_validation_and_cursors(notif: LocalConfig, api: Api) -> None:
    assert api.get("/notifications", user="user-b", query={"limit": 0}).status == 422
    assert api.get("/notifications", user="user-b", query={"limit": 101}).status == 422
    bad = api.get("/notifications", user="user-b", query={"cursor": "abc.def"})
    assert bad.status == 400
    assert bad.error_code == "bad_request"
    deliver(notif, [make_job(n) for n in range(1, 4)])
    cursor = api.get("/notifications", user="user-b", query={"limit": 1}).body["next_cursor"]
    # A cursor is bound to its user and filter.
    stolen = api.get("/notifications", user="user-c", query={"limit": 1, "cursor": cursor})
    assert stolen.status == 400
    other_filter = api.get(
        "/notifications", user="user-b", query={"limit": 1, "cursor": cursor, "unread_only": "true"}
    )
    assert other_filter.status == 400
    empty = api.get("/notifications", user="user-nobody")
    assert empty.status == 200
    assert empty.body == {"items": [], "next_cursor": None, "unread": 0}


def test_an_sqs_event_from_the_poller_has_lambdas_shape(notif: LocalConfig) -> None:
    seen: list[dict[str, Any]] = []

    def capture(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return {"batchItemFailures": []}

    send(notif, [json.dumps({"hello": 1})])
    p = SqsPoller(notif.queue_url, capture, region=notif.region, endpoint_url=notif.endpoint_url)
    assert p.poll() == 1
    (record,) = seen[0]["Records"]
    assert set(record) == {
        "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
        "eventSource", "eventSourceARN", "awsRegion",
    }  # fmt: skip
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":tasklane-notifications")
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert queue_depth(notif, notif.queue_url) == 0  # deleted: not reported as failed
