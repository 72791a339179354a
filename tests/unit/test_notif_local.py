"""The local pieces of the notification pipeline that need no emulator: the dev mailbox
route, how it reads what moto kept, the SQS event shape, and the settings block."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tasklane.local.gateway import DEV_MAIL_PATH, create_app
from tasklane.local.mailbox import html_to_text, read_mailbox
from tasklane.local.sqs_poller import to_lambda_record
from tasklane.settings import Settings


def refuse(token: str) -> dict[str, Any]:
    raise AssertionError("the mailbox needs no token")


async def _get(app: Any, path: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        return await client.get(path, headers=headers)


def test_the_mailbox_route_is_there_only_when_given() -> None:
    import asyncio

    items = [{"id": "m1", "subject": "Hi"}]
    app = create_app(
        verify=refuse,
        handler=lambda e, c: {"statusCode": 404, "body": "{}"},
        cors_origins=["http://127.0.0.1:3000"],
        mailbox=lambda: items,
    )
    reply = asyncio.run(_get(app, DEV_MAIL_PATH, origin="http://127.0.0.1:3000"))
    assert reply.status_code == 200
    assert reply.json() == {"items": items}
    assert reply.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"

    without = create_app(verify=lambda t: {"sub": "x"}, handler=lambda e, c: {"statusCode": 404})
    # Without a mailbox the path is an ordinary API path: the authorizer wants a token.
    assert asyncio.run(_get(without, DEV_MAIL_PATH)).status_code == 401


def test_mailbox_entries_newest_first_with_text_derived_from_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = [
        {
            "id": "a",
            "source": "s@x",
            "subject": "first",
            "body": "plain only",
            "destinations": {"ToAddresses": ["b@x"]},
        },
        {
            "id": "b",
            "source": "s@x",
            "subject": "second",
            "body": "<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head>"
            "<body><p>Hello &lt;Bob&gt;,</p><p>line  two</p></body></html>",
            "destinations": {"ToAddresses": ["b@x"], "CcAddresses": ["c@x"]},
        },
    ]
    monkeypatch.setattr("tasklane.local.mailbox.moto_messages", lambda url, region: kept)
    first, second = read_mailbox("http://moto", "us-east-1")
    assert first["id"] == "b"
    assert first["to"] == ["b@x", "c@x"]
    assert first["html"] == kept[1]["body"]
    assert first["text"] == "Hello <Bob>,\nline two"
    assert set(first) == {"id", "to", "from", "subject", "text", "html", "sent_at"}
    assert second == {
        "id": "a",
        "to": ["b@x"],
        "from": "s@x",
        "subject": "first",
        "text": "plain only",
        "html": None,
        "sent_at": None,
    }
    assert html_to_text("<p>a<br>b</p>") == "a\nb"


def test_an_sqs_message_in_lambdas_shape() -> None:
    record = to_lambda_record(
        {
            "MessageId": "m-1",
            "ReceiptHandle": "rh",
            "Body": "{}",
            "MD5OfBody": "99914b932bd37a50b983c5e7c90ae93b",
            "Attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1"},
            "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "task_due"}},
        },
        "arn:aws:sqs:eu-west-1:123456789012:q",
        "eu-west-1",
    )
    assert record == {
        "messageId": "m-1",
        "receiptHandle": "rh",
        "body": "{}",
        "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1"},
        "messageAttributes": {
            "kind": {
                "stringValue": "task_due",
                "binaryValue": None,
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            }
        },
        "md5OfBody": "99914b932bd37a50b983c5e7c90ae93b",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
        "awsRegion": "eu-west-1",
    }


def test_the_notification_settings_need_no_cursor_secret() -> None:
    settings = Settings.from_environment(
        {
            "TASKLANE_NOTIFICATIONS_QUEUE_URL": "https://sqs.example/q",
            "TASKLANE_MAIL_SENDER": "noreply@example.com",
            "TASKLANE_WEB_URL": "https://app.example.com/",
        }
    )
    assert settings.cursor_secret == settings.cursor_secret_arn == ""
    assert settings.notifications.queue_url == "https://sqs.example/q"
    assert settings.notifications.mail_sender == "noreply@example.com"
    assert settings.notifications.web_url == "https://app.example.com"


def test_the_scheduler_invokes_its_handlers_on_their_interval() -> None:
    import threading

    from tasklane.local.scheduler import Job, Scheduler

    ran = threading.Event()
    events: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        events.append(event)
        if len(events) == 1:
            raise RuntimeError("PostgreSQL restarting")  # a failed run: the next tick retries
        assert context.get_remaining_time_in_millis() > 0
        ran.set()
        return {"enqueued": 0}

    scheduler = Scheduler([Job("reminders", 0.02, handler)], "eu-west-1").start()
    try:
        assert ran.wait(5)
    finally:
        scheduler.stop()
    job = scheduler.jobs["reminders"]
    assert job.runs >= 2
    assert job.failures == 1
    assert events[0]["detail-type"] == "Scheduled Event"
    assert events[0]["source"] == "aws.events"
    assert events[0]["resources"] == [
        "arn:aws:events:eu-west-1:123456789012:rule/tasklane-reminders"
    ]
