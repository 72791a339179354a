"""Webhook deliveries end to end in-process: the api handler, the table's stream through the
events function, the webhooks queue through the local SQS poller and the webhooks handler,
and a real HTTP receiver on loopback that checks every signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.launcher import update_environ
from tasklane.local.mailbox import read_mailbox
from tasklane.local.runtime import webhook_poller
from tasklane.wiring import functions
from tests.integration.conftest import Api
from tests.integration.support import clients, drain_queue, notifier_poller, queue_depth, sync

pytestmark = pytest.mark.integration

DISABLE_AFTER = 3


@dataclass
class Receiver:
    """Answers each POST with the next status of ``statuses`` (the last one repeats) and
    keeps what came, with whether its signature verified."""

    statuses: list[int] = field(default_factory=lambda: [204])
    secret: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def verifies(self, headers: dict[str, str], body: bytes) -> bool:
        stamp = headers.get("x-tasklane-timestamp", "")
        mac = hmac.new(self.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
        fresh = stamp.isdigit() and abs(time.time() - int(stamp)) <= 300
        given = headers.get("x-tasklane-signature", "").encode()
        return fresh and hmac.compare_digest(("sha256=" + mac.hexdigest()).encode(), given)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = box.statuses.pop(0) if len(box.statuses) > 1 else box.statuses[0]
            box.received.append(
                {"headers": headers, "body": json.loads(body), "status": status,
                 "verified": box.verifies(headers, body)}
            )  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/tasklane"
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def hooks(aws: LocalConfig) -> Iterator[LocalConfig]:
    """The webhooks queue in the functions' environment, as the local runtime sets it: http
    to loopback allowed, retries at once, a webhook switched off after 3 failures. Ask for
    it before ``pg``, which builds the containers (from this environment)."""
    saved = update_environ(
        {
            "TASKLANE_WEBHOOKS_QUEUE_URL": aws.webhooks_queue_url,
            "TASKLANE_LOCAL_MODE": "1",
            "TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK": "1",
            "TASKLANE_WEBHOOK_RETRY_SCALE": "0",
            "TASKLANE_WEBHOOK_DISABLE_AFTER_FAILURES": str(DISABLE_AFTER),
            "TASKLANE_WEBHOOK_DISABLE_AFTER_SECONDS": "0",
        }
    )
    functions.reset()
    yield aws
    for url in (aws.webhooks_queue_url,):
        clients().sqs.purge_queue(QueueUrl=url)
    update_environ(saved)
    functions.reset()


def deliver_all(config: LocalConfig, rounds: int = 30) -> int:
    """The worker, until the webhooks queue is empty (retries come back at once here)."""
    worker, attempts = webhook_poller(config), 0
    for _ in range(rounds):
        attempts += worker.poll(wait_seconds=0)
        if queue_depth(config, config.webhooks_queue_url) == 0:
            return attempts
    raise AssertionError("the webhooks queue did not drain")


def register(api: Api, receiver: Receiver, **body: Any) -> tuple[str, str]:
    project = api.post("/projects", {"name": "Hooks"})
    assert project.status == 201, project.body
    pid = project.body["id"]
    created = api.post(f"/projects/{pid}/webhooks", {"url": receiver.url, **body})
    assert created.status == 201, created.body
    receiver.secret = created.body["secret"]
    return pid, created.body["webhook"]["id"]


def test_a_change_is_delivered_signed_and_retried_after_a_500(
    api: Api, hooks: LocalConfig, pg: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500, 200]
    pid, hook = register(api, receiver, events=["task.created", "task.completed"])
    task = api.post(f"/projects/{pid}/tasks", {"title": "Ship it"})
    assert task.status == 201, task.body
    sync(hooks)
    sync(hooks)  # a replayed stream: the same delivery again, delivered once
    assert deliver_all(hooks) >= 2

    first, second = receiver.received
    assert (first["status"], second["status"]) == (500, 200)
    assert first["verified"]
    assert second["verified"]
    assert first["headers"]["x-tasklane-event"] == "task.created"
    delivery = first["headers"]["x-tasklane-delivery"]
    assert second["headers"]["x-tasklane-delivery"] == delivery
    assert second["body"]["data"]["task"]["title"] == "Ship it"
    assert second["body"]["id"] == delivery

    log = api.get(f"/projects/{pid}/webhooks/{hook}/deliveries").body["items"]
    assert [(a["attempt"], a["status"], a["error"]) for a in log] == [
        (2, 200, None),
        (1, 500, "status 500"),
    ]
    assert log[0]["response"] == "ok"

    pinged = api.post(f"/projects/{pid}/webhooks/{hook}/test")
    assert pinged.status == 202, pinged.body
    deliver_all(hooks)
    ping = receiver.received[-1]
    assert ping["headers"]["x-tasklane-event"] == "webhook.ping"
    assert ping["headers"]["x-tasklane-delivery"] == pinged.body["delivery_id"]
    assert ping["verified"]


def test_a_webhook_failing_again_and_again_is_switched_off(
    api: Api, hooks: LocalConfig, pg: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    pid, hook = register(api, receiver)
    assert api.post(f"/projects/{pid}/tasks", {"title": "One"}).status == 201
    sync(hooks)
    deliver_all(hooks)
    assert len(receiver.received) == DISABLE_AFTER
    seen = api.get(f"/projects/{pid}/webhooks/{hook}").body
    assert (seen["enabled"], seen["disabled_reason"], seen["failures"]) == (
        False,
        "failing",
        DISABLE_AFTER,
    )
    # Switched off: later changes are not even enqueued.
    assert api.post(f"/projects/{pid}/tasks", {"title": "Two"}).status == 201
    sync(hooks)
    assert queue_depth(hooks, hooks.webhooks_queue_url) == 0


def test_the_owner_is_told_in_the_app_and_by_e_mail_when_it_is_switched_off(
    api: Api, hooks: LocalConfig, notif: LocalConfig, pg: Any, receiver: Receiver
) -> None:
    receiver.statuses = [503]
    api.get("/me")  # the owner's profile: the notice's e-mail address
    pid, hook = register(api, receiver, events=["task.created"])
    assert api.post(f"/projects/{pid}/tasks", {"title": "One"}).status == 201
    sync(hooks)
    deliver_all(hooks)
    assert api.get(f"/projects/{pid}/webhooks/{hook}").body["enabled"] is False
    sync(hooks)  # the switch-off's record → the notification job
    drain_queue(notif, notifier_poller(notif))
    (notice,) = [
        n for n in api.get("/notifications").body["items"] if n["kind"] == "webhook_disabled"
    ]
    assert receiver.url in notice["body"]
    assert notice["project_id"] == pid
    (mail,) = [m for m in read_mailbox(notif.endpoint_url) if "switched off" in m["subject"]]
    assert mail["to"] == ["user-a@example.com"]


def test_nothing_is_delivered_for_a_deleted_projects_changes(
    api: Api, hooks: LocalConfig, pg: Any, receiver: Receiver
) -> None:
    pid, _ = register(api, receiver)
    task = api.post(f"/projects/{pid}/tasks", {"title": "Soon gone"})
    assert task.status == 201, task.body
    sync(hooks)
    deliver_all(hooks)
    # (The owner's membership, on the stream after the webhook was registered, may come too.)
    assert "task.created" in [r["headers"]["x-tasklane-event"] for r in receiver.received]
    before = len(receiver.received)
    comment = api.post(f"/tasks/{task.body['id']}/comments", {"body": "last words"})
    assert comment.status == 201, comment.body
    assert api.call("DELETE", f"/projects/{pid}", query={"force": "true"}).status == 204
    sync(hooks)  # the comment, the memberships' removal, the purge of every item
    deliver_all(hooks)
    events = [r["headers"]["x-tasklane-event"] for r in receiver.received[before:]]
    assert "comment.created" not in events
    assert "task.deleted" not in events
    assert "member.removed" not in events


def test_aws_requests_per_delivery_attempt(
    api: Api, hooks: LocalConfig, pg: Any, receiver: Receiver
) -> None:
    """A delivered attempt: 4 DynamoDB requests (claim, count, log, finish). A failed one: 4
    (claim, count, log, the streak) and the retry's ChangeMessageVisibility; the delivery
    after a failure also resets the streak."""
    from collections import Counter

    from tasklane.wiring.webhooks import root

    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    clients = root.get().aws
    for client in (clients.dynamodb, clients.sqs):
        client.meta.events.register("before-call", count)
    receiver.statuses = [204]
    pid, _ = register(api, receiver, events=["task.created"])
    assert api.post(f"/projects/{pid}/tasks", {"title": "Counted"}).status == 201
    sync(hooks)
    assert deliver_all(hooks) == 1
    assert calls == Counter({"UpdateItem": 3, "PutItem": 1})

    calls.clear()
    receiver.statuses = [500, 204]
    assert api.post(f"/projects/{pid}/tasks", {"title": "Retried"}).status == 201
    sync(hooks)  # reads the stream from its start: the first task's record comes again
    # Two attempts of the new delivery, and the replayed one refused by its claim alone.
    assert deliver_all(hooks) == 3
    assert [r["status"] for r in receiver.received] == [204, 500, 204]
    assert calls == Counter({"UpdateItem": 7 + 1, "PutItem": 2, "ChangeMessageVisibility": 1})
