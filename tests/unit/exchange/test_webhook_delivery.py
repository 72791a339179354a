"""The delivery worker's use case on fakes: signing, SSRF at delivery, retries, the DLQ,
the log, dedupe of a replayed delivery and switching a failing webhook off."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tasklane.domain.exchange.registrations import (
    DISABLED_FAILING,
    DeliveryJob,
    Webhook,
    WebhookRecord,
)
from tasklane.domain.exchange.targets import IPAddress, TargetPolicy
from tasklane.domain.exchange.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    MAX_ATTEMPTS,
    WebhookEvent,
    verify_signature,
)
from tasklane.domain.models import format_time
from tasklane.domain.ports.webhooks import HttpOutcome
from tasklane.logic.exchange.webhook_delivery import (
    REFUSED_ADDRESS,
    DeliveryRules,
    Outcome,
    WebhookDeliverer,
    ping_job,
    scaled_delay,
)
from tests.fakes.table import InMemoryTable
from tests.fakes.webhook_transport import ScriptedTransport
from tests.fakes.webhooks import InMemoryWebhookDeliveries

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
SECRET = "whsec_unit"
PUBLIC = ipaddress.ip_address("93.184.216.34")


class World:
    def __init__(self, answers: Sequence[HttpOutcome] = (), **rules: Any) -> None:
        self.store = InMemoryWebhookDeliveries(InMemoryTable())
        self.transport = ScriptedTransport(list(answers))
        self.addresses: list[IPAddress] = [PUBLIC]
        self.now = NOW
        self.record = WebhookRecord(
            webhook=Webhook(
                id="01jwebhook0000000000000000", project_id="p1",
                url="https://hooks.example.com/in?x=1", events=None, description="",
                enabled=True, disabled_reason=None, failures=0, failing_since=None,
                secret_hint="", created_at=format_time(NOW), created_by="alice",
                updated_at=format_time(NOW), version=1,
            ),
            secret=SECRET,
        )  # fmt: skip
        self.store.add(self.record)
        self.deliverer = WebhookDeliverer(
            self.store, self.transport, lambda host, port: list(self.addresses),
            TargetPolicy(), DeliveryRules(**rules), clock=lambda: self.now,
            wall=lambda: self.now.timestamp(),
        )  # fmt: skip

    def job(self, delivery: str = "d-1") -> DeliveryJob:
        return DeliveryJob(
            id=delivery, webhook_id=self.record.webhook.id, project_id="p1",
            event=WebhookEvent.task_created, created_at=format_time(NOW),
            data={"task": {"id": "p1-t", "title": "Ship"}},
        )  # fmt: skip

    def hook(self) -> Webhook:
        (record,) = self.store.project_webhooks("p1")
        return record.webhook


def test_a_delivery_is_signed_posted_to_the_vetted_address_and_logged() -> None:
    world = World()
    result = world.deliverer.attempt(world.job(), "m-1", 1)
    assert result.outcome is Outcome.delivered
    (sent,) = world.transport.posted
    assert sent.address == PUBLIC
    assert sent.target.host == "hooks.example.com"
    assert sent.timeout == 5.0
    assert sent.headers[EVENT_HEADER] == "task.created"
    assert sent.headers[DELIVERY_HEADER] == "d-1"
    verify_signature(SECRET, sent.body, sent.headers, now=NOW.timestamp())
    assert b'"title":"Ship"' in sent.body
    ((number, attempt),) = world.store.log("p1", world.record.webhook.id)
    assert (number, attempt.status, attempt.error, attempt.attempt) == (1, 204, None, 1)


@pytest.mark.parametrize(
    "address", ["10.0.0.7", "127.0.0.1", "169.254.169.254", "fd00:ec2::254", "::ffff:10.1.1.1"]
)
def test_a_host_that_now_resolves_to_a_private_address_is_not_posted_to(address: str) -> None:
    world = World()
    world.addresses = [PUBLIC, ipaddress.ip_address(address)]  # DNS rebinding hands out both
    result = world.deliverer.attempt(world.job(), "m-1", 1)
    assert result.outcome is Outcome.retry
    assert world.transport.posted == []
    assert result.attempt is not None
    assert result.attempt.error == REFUSED_ADDRESS
    assert address not in result.attempt.model_dump_json()


def test_failures_retry_on_the_schedule_then_go_to_the_dlq() -> None:
    world = World([HttpOutcome(500, b"boom", 8)])
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = world.deliverer.attempt(world.job(), "m-1", attempt)
        delays.append(result.retry_after)
        assert result.outcome is (Outcome.retry if attempt < MAX_ATTEMPTS else Outcome.gave_up)
    assert delays[:-1] == [scaled_delay(n, "d-1", 1.0) for n in range(1, MAX_ATTEMPTS)]
    assert 25 <= (delays[0] or 0) <= 35
    assert delays[-1] is None
    log = world.store.log("p1", world.record.webhook.id)
    assert [a.attempt for _, a in log] == list(range(MAX_ATTEMPTS, 0, -1))
    assert {a.error for _, a in log} == {"status 500"}
    assert world.hook().failures == MAX_ATTEMPTS
    # Replayed from the DLQ (a new message): attempted again.
    replayed = world.deliverer.attempt(world.job(), "m-replay", 1)
    assert replayed.outcome is Outcome.retry


def test_the_local_scale_shortens_the_delays() -> None:
    world = World([HttpOutcome(None, b"", 5000, "timed out")], retry_scale=0.0)
    assert world.deliverer.attempt(world.job(), "m-1", 1).retry_after == 0


def test_a_replayed_delivery_is_sent_once() -> None:
    world = World()
    assert world.deliverer.attempt(world.job(), "m-1", 1).outcome is Outcome.delivered
    # The replayed stream record's message, and the first one received again.
    assert world.deliverer.attempt(world.job(), "m-2", 1).outcome is Outcome.skipped
    assert world.deliverer.attempt(world.job(), "m-1", 2).outcome is Outcome.skipped
    assert len(world.transport.posted) == 1


def test_a_second_message_waits_out_the_first_ones_retries() -> None:
    world = World([HttpOutcome(503, b"", 4), HttpOutcome(200, b"ok", 4)])
    assert world.deliverer.attempt(world.job(), "m-1", 1).outcome is Outcome.retry
    assert world.deliverer.attempt(world.job(), "m-2", 1).outcome is Outcome.skipped
    assert world.deliverer.attempt(world.job(), "m-1", 2).outcome is Outcome.delivered
    assert world.hook().failures == 0


def test_a_failing_webhook_is_switched_off_after_failures_that_last() -> None:
    world = World([HttpOutcome(500, b"", 4)], disable_after_failures=3,
                  disable_after_seconds=3_600)  # fmt: skip
    for n in range(3):
        result = world.deliverer.attempt(world.job(f"d-{n}"), f"m-{n}", 1)
        assert result.outcome is Outcome.retry  # three failures within minutes: still on
    world.now = NOW + timedelta(hours=2)
    result = world.deliverer.attempt(world.job("d-9"), "m-9", 1)
    assert result.disabled is True
    assert result.outcome is Outcome.skipped
    hook = world.hook()
    assert (hook.enabled, hook.disabled_reason, hook.failures) == (False, DISABLED_FAILING, 4)
    # Retries queued before: nothing is sent to a webhook that is off.
    assert world.deliverer.attempt(world.job("d-0"), "m-0", 2).outcome is Outcome.skipped
    assert len(world.transport.posted) == 4


def test_a_ping_goes_to_a_switched_off_webhook_and_a_deleted_one_gets_nothing() -> None:
    world = World()
    world.store.disable_failing("p1", world.record.webhook.id, NOW)
    off = world.store.project_webhooks("p1")[0]
    assert world.deliverer.attempt(world.job(), "m-1", 1).outcome is Outcome.skipped
    ping = ping_job(off, NOW)
    assert world.deliverer.attempt(ping, "m-2", 1).outcome is Outcome.delivered
    assert world.transport.posted[-1].headers[EVENT_HEADER] == "webhook.ping"
    gone = ping.model_copy(update={"webhook_id": "01jnoneofthisexists0000000", "id": "x"})
    assert world.deliverer.attempt(gone, "m-3", 1).outcome is Outcome.skipped


def test_the_retry_scale_is_refused_outside_local_mode() -> None:
    from tasklane.settings import Env, Settings

    with pytest.raises(RuntimeError, match="local runtime only"):
        Settings.from_environment({Env.WEBHOOK_RETRY_SCALE: "0"})
    with pytest.raises(RuntimeError, match="not negative"):
        Settings.from_environment({Env.WEBHOOK_RETRY_SCALE: "-1", Env.LOCAL_MODE: "1"})
    local = Settings.from_environment({Env.WEBHOOK_RETRY_SCALE: "0", Env.LOCAL_MODE: "1"})
    assert local.exchange.webhooks.retry_scale == 0.0
    assert Settings.from_environment({}).exchange.webhooks.retry_scale == 1.0
