"""The notifier function against moto: the real queue (with its DLQ), SES and the table.

The queue is driven by the local SQS poller (the stand-in for Lambda's event source
mapping), with a one-second visibility timeout so retries come within seconds.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.mailbox import read_mailbox
from tasklane.local.sqs_poller import SqsPoller
from tests.integration.conftest import Api
from tests.integration.support import (
    TASK,
    clients,
    drain_queue,
    join_task_project,
    lambda_context,
    make_job,
    notifier_poller,
    queue_depth,
    send,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def member(aws: LocalConfig) -> None:
    """The jobs' recipient (``user-b``) is a member of the task's project."""
    join_task_project(aws, "user-b")


def test_a_poison_job_goes_to_the_dlq_after_three_receives_the_rest_is_sent(
    notif: LocalConfig,
) -> None:
    send(notif, [make_job(1).model_dump_json(), "{not a job", make_job(2).model_dump_json()])
    p = notifier_poller(notif)
    drain_queue(notif, p)

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
    p = notifier_poller(notif)
    drain_queue(notif, p)
    send(notif, [body])  # and once more, later
    drain_queue(notif, p)

    assert len(read_mailbox(notif.endpoint_url)) == 1
    listed = api.get("/notifications", user="user-b")
    assert listed.status == 200, listed.body
    assert listed.body["unread"] == 1
    assert [n["title"] for n in listed.body["items"]] == ["Ada assigned you “Task <1>”"]


def test_the_email_has_an_escaped_html_part_and_a_link(notif: LocalConfig) -> None:
    send(notif, [make_job(1, subject={"task_title": "<script>x</script>"}).model_dump_json()])
    drain_queue(notif, notifier_poller(notif))
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
        # BatchGetItem: the recipient is still a member (issue 14, finding 3).
        assert calls == {
            "SendEmail": 3,
            "TransactWriteItems": 3,
            "PutItem": 3,
            "UpdateItem": 3,
            "BatchGetItem": 3,
        }
        calls.clear()
        assert lambda_handler(event, context) == {"batchItemFailures": []}
        # Already delivered: the conditional put returns the stored record; nothing is sent.
        assert calls == {"PutItem": 3}
    finally:
        for client in counted:
            client.meta.events.unregister("before-call.*", count)


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


def test_a_removed_member_gets_no_email_and_no_notice(notif: LocalConfig, api: Api) -> None:
    """Issue 14, finding 3: the job was made while they were a member."""
    from tasklane.dal.dynamodb.items import member_key

    project_id = TASK.split("-")[0]
    clients().dynamodb.delete_item(TableName=notif.table_name, Key=member_key(project_id, "user-b"))
    send(notif, [make_job(1).model_dump_json()])
    drain_queue(notif, notifier_poller(notif))
    assert read_mailbox(notif.endpoint_url) == []
    assert api.get("/notifications", user="user-b").body["items"] == []
