"""The ``WebhookDeliveries`` contract (tasklane.domain.ports.webhooks): what the stream
consumer and the delivery worker read and write, on every implementation; and the
``WebhookTransport`` adapter against a real HTTP server (its fake is scripted)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tasklane.dal.dynamodb.webhooks import webhook_to_item
from tasklane.dal.http import Urllib3Transport, system_resolver
from tasklane.domain.exchange.registrations import DISABLED_FAILING, Webhook, WebhookRecord
from tasklane.domain.exchange.targets import WebhookTarget
from tasklane.domain.exchange.webhooks import DeliveryAttempt, WebhookEvent
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time

from .conftest import ALICE, T0, Backend, FakeBackend, owner, project

EXPIRES = int(T0.timestamp()) + 3_600


def _hook(project_id: str, **changes: object) -> WebhookRecord:
    stamp = format_time(T0)
    hook = Webhook(
        id=new_ulid(), project_id=project_id, url="https://hooks.example.com/in",
        events=None, description="", enabled=True, disabled_reason=None, failures=0,
        failing_since=None, secret_hint="", created_at=stamp, created_by=ALICE,
        updated_at=stamp, version=1,
    )  # fmt: skip
    return WebhookRecord(webhook=hook.model_copy(update=changes), secret="whsec_x")


def _with_hook(backend: Backend, **changes: object) -> WebhookRecord:
    work = project()
    backend.projects().create_project(work, owner())
    record = _hook(work.id, **changes)
    _put(backend, webhook_to_item(record))
    return record


def _put(backend: Backend, item: dict[str, object]) -> None:
    if isinstance(backend, FakeBackend):
        backend.table.put(item)
    else:
        backend.table.client.put_item(TableName=backend.table.name, Item=item)


def _attempt(number: int) -> DeliveryAttempt:
    return DeliveryAttempt.record("d-1", WebhookEvent.task_created, 1, T0, 500, 12, None,
                                  b"no" * number)  # fmt: skip


def test_a_projects_webhooks_are_listed_and_its_life_told(backend: Backend) -> None:
    store = backend.webhook_deliveries()
    record = _with_hook(backend)
    project_id = record.webhook.project_id
    assert [r.webhook.id for r in store.project_webhooks(project_id)] == [record.webhook.id]
    assert store.project_webhooks("01jnoneofthisexists0000000") == []
    assert store.project_live(project_id) is True
    assert store.project_live("01jnoneofthisexists0000000") is False


def test_one_message_owns_a_delivery_until_it_is_finished(backend: Backend) -> None:
    store = backend.webhook_deliveries()
    project_id = _with_hook(backend).webhook.project_id
    assert store.claim_delivery(project_id, "d-1", "m-1", EXPIRES) is True
    # Its own retry may go on; a second message for the same delivery (a replay) may not.
    assert store.claim_delivery(project_id, "d-1", "m-1", EXPIRES) is True
    assert store.claim_delivery(project_id, "d-1", "m-2", EXPIRES) is False
    assert store.claim_delivery(project_id, "d-2", "m-2", EXPIRES) is True
    store.finish_delivery(project_id, "d-1")
    assert store.claim_delivery(project_id, "d-1", "m-1", EXPIRES) is False
    # Given up (to the DLQ): a replayed message may take it over, then owns it.
    store.release_delivery(project_id, "d-2")
    assert store.claim_delivery(project_id, "d-2", "m-3", EXPIRES) is True
    assert store.claim_delivery(project_id, "d-2", "m-2", EXPIRES) is False


def test_attempts_are_counted_and_logged(backend: Backend) -> None:
    store = backend.webhook_deliveries()
    record = _with_hook(backend)
    project_id, hook_id = record.webhook.project_id, record.webhook.id
    first = store.begin_attempt(project_id, hook_id)
    second = store.begin_attempt(project_id, hook_id)
    assert first is not None
    assert second is not None
    assert (first.attempts, second.attempts) == (1, 2)
    assert second.secret == "whsec_x"
    store.record_attempt(project_id, hook_id, _attempt(1), 1)
    store.record_attempt(project_id, hook_id, _attempt(2), 2)
    assert store.begin_attempt(project_id, "01jnoneofthisexists0000000") is None


def test_the_failure_streak_grows_resets_and_disables_once(backend: Backend) -> None:
    store = backend.webhook_deliveries()
    record = _with_hook(backend)
    project_id, hook_id = record.webhook.project_id, record.webhook.id
    later = T0 + timedelta(hours=1)
    one = store.record_outcome(project_id, hook_id, False, T0)
    two = store.record_outcome(project_id, hook_id, False, later)
    assert one is not None
    assert two is not None
    assert (one.webhook.failures, two.webhook.failures) == (1, 2)
    assert two.webhook.failing_since == format_time(T0)
    reset = store.record_outcome(project_id, hook_id, True, later)
    assert reset is not None
    assert (reset.webhook.failures, reset.webhook.failing_since) == (0, None)

    assert store.disable_failing(project_id, hook_id, later) is True
    assert store.disable_failing(project_id, hook_id, later) is False
    (off,) = store.project_webhooks(project_id)
    assert off.webhook.enabled is False
    assert off.webhook.disabled_reason == DISABLED_FAILING
    assert off.webhook.version == record.webhook.version + 1
    assert store.record_outcome(project_id, "01jnoneofthisexists0000000", False, T0) is None


# The transport (``WebhookTransport`` → ``tasklane.dal.http.Urllib3Transport``), against a
# real HTTP server on loopback: what the worker relies on it for.
@dataclass
class _Server:
    url_port: int
    requests: list[tuple[str, str, dict[str, str]]]
    answers: dict[str, tuple[int, bytes, float]]


@pytest.fixture
def http_server() -> Iterator[_Server]:
    box = _Server(0, [], {})

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            box.requests.append(
                (self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            )
            status, body, delay = box.answers.get(self.path.split("?")[0], (204, b"", 0.0))
            time.sleep(delay)
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    box.url_port = int(server.server_address[1])
    yield box
    server.shutdown()
    server.server_close()


def _target(port: int, path: str) -> WebhookTarget:
    url = f"http://hooks.example.com:{port}{path}"
    return WebhookTarget(url, "http", "hooks.example.com", port, None)


LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.mark.integration
def test_the_transport_posts_to_the_address_given_with_the_urls_host(http_server: _Server) -> None:
    answer = Urllib3Transport().post(
        _target(http_server.url_port, "/in?x=1"), LOOPBACK, b"{}", {"X-Test": "1"}, 5.0, 1024
    )
    assert (answer.status, answer.error) == (204, None)
    ((method, path, headers),) = http_server.requests
    assert (method, path) == ("POST", "/in?x=1")
    assert headers["host"] == f"hooks.example.com:{http_server.url_port}"
    assert headers["x-test"] == "1"


@pytest.mark.integration
def test_the_transport_keeps_1_kib_follows_no_redirect_and_times_out(
    http_server: _Server,
) -> None:
    transport, port = Urllib3Transport(), http_server.url_port
    http_server.answers = {
        "/big": (500, b"x" * 5000, 0.0),
        "/moved": (302, b"", 0.0),
        "/slow": (200, b"late", 2.0),
    }
    big = transport.post(_target(port, "/big"), LOOPBACK, b"{}", {}, 5.0, 1024)
    assert (big.status, len(big.body)) == (500, 1024)
    moved = transport.post(_target(port, "/moved"), LOOPBACK, b"{}", {}, 5.0, 1024)
    assert moved.status == 302
    assert [p for _, p, _ in http_server.requests] == ["/big", "/moved"]  # not followed
    slow = transport.post(_target(port, "/slow"), LOOPBACK, b"{}", {}, 0.5, 1024)
    assert (slow.status, slow.error) == (None, "timed out")
    assert slow.latency_ms < 1900


@pytest.mark.integration
def test_the_transport_tells_a_refused_connection() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = Urllib3Transport().post(_target(port, "/"), LOOPBACK, b"{}", {}, 2.0, 1024)
    assert (refused.status, refused.error) == (None, "connection refused or unreachable")
    assert LOOPBACK in system_resolver("localhost", 80) or ipaddress.ip_address(
        "::1"
    ) in system_resolver("localhost", 80)
