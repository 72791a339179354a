"""The ``WebhookStore`` contract (the owner's side; tests/contract/test_webhooks.py has the
worker's), on every implementation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed
from tasklane.domain.exchange.registrations import DISABLED_FAILING, Webhook, WebhookRecord
from tasklane.domain.exchange.webhooks import DELIVERY_LOG_SIZE, DeliveryAttempt, WebhookEvent
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time
from tasklane.logic.access import OWNERS

from .conftest import ALICE, BOB, T0, Shared


def hook(project_id: str, url: str = "https://hooks.example.com/in") -> WebhookRecord:
    stamp = format_time(T0)
    return WebhookRecord(
        webhook=Webhook(
            id=new_ulid(), project_id=project_id, url=url, events=None, description="",
            enabled=True, disabled_reason=None, failures=0, failing_since=None,
            secret_hint="", created_at=stamp, created_by=ALICE, updated_at=stamp, version=1,
        ),
        secret="whsec_first",
    )  # fmt: skip


def attempt(number: int) -> DeliveryAttempt:
    return DeliveryAttempt.record(
        f"delivery-{number}", WebhookEvent.ping, 1, T0, 500, 3, None, b"no"
    )


def test_owner_registers_changes_and_deletes(shared: Shared) -> None:
    store, pid = shared.backend.webhooks(), shared.project.id
    made = hook(pid)
    store.create_webhook(made, ALICE, OWNERS)
    hid = made.webhook.id
    assert store.count_webhooks(pid) == 1
    assert [w.id for w in store.list_webhooks(pid, ALICE, OWNERS)] == [hid]
    store.update_webhook(pid, hid, ALICE, OWNERS, {"secret": "whsec_new"}, 1, T0)
    store.update_webhook(pid, hid, ALICE, OWNERS, {"description": "ci"}, None, T0)
    read = store.get_webhook(pid, hid, ALICE, OWNERS)
    assert read is not None
    assert (read.secret, read.webhook.description, read.webhook.version) == ("whsec_new", "ci", 3)
    with pytest.raises(PreconditionFailed):
        store.update_webhook(pid, hid, ALICE, OWNERS, {"description": "x"}, 1, T0)
    store.delete_webhook(pid, hid, ALICE, OWNERS, None)
    assert store.get_webhook(pid, hid, ALICE, OWNERS) is None
    assert store.count_webhooks(pid) == 0
    with pytest.raises(NotFound):
        store.delete_webhook(pid, hid, ALICE, OWNERS, None)


def test_only_the_owner_and_a_stranger_learns_nothing(shared: Shared) -> None:
    store, pid = shared.backend.webhooks(), shared.project.id
    made = hook(pid)
    with pytest.raises(Forbidden):
        store.create_webhook(made, BOB, OWNERS)
    with pytest.raises(NotFound):
        store.create_webhook(made, "user-stranger", OWNERS)
    store.create_webhook(made, ALICE, OWNERS)
    hid = made.webhook.id
    with pytest.raises(Forbidden):
        store.list_webhooks(pid, BOB, OWNERS)
    with pytest.raises(NotFound):
        store.get_webhook(pid, hid, "user-stranger", OWNERS)
    with pytest.raises(Forbidden):
        store.update_webhook(pid, hid, BOB, OWNERS, {"description": "x"}, None, T0)
    with pytest.raises(NotFound):
        store.delete_webhook(pid, hid, "user-stranger", OWNERS, None)
    assert store.count_webhooks(pid) == 1


def test_the_owner_reads_what_the_worker_logged_and_switches_back_on(shared: Shared) -> None:
    store, pid = shared.backend.webhooks(), shared.project.id
    worker = shared.backend.webhook_deliveries()
    made = hook(pid)
    store.create_webhook(made, ALICE, OWNERS)
    hid = made.webhook.id
    for number in range(1, 4):
        begun = worker.begin_attempt(pid, hid)
        assert begun is not None
        assert begun.attempts == number
        worker.record_attempt(pid, hid, attempt(number), number)
    log = store.deliveries(pid, hid, ALICE, OWNERS)
    assert [a.delivery_id for a in log] == ["delivery-3", "delivery-2", "delivery-1"]
    # The log is a ring: attempt 101 takes attempt 1's slot.
    worker.record_attempt(pid, hid, attempt(DELIVERY_LOG_SIZE + 1), DELIVERY_LOG_SIZE + 1)
    ring = store.deliveries(pid, hid, ALICE, OWNERS)
    assert [a.delivery_id for a in ring] == [
        f"delivery-{DELIVERY_LOG_SIZE + 1}",
        "delivery-3",
        "delivery-2",
    ]
    failed = worker.record_outcome(pid, hid, False, T0)
    again = worker.record_outcome(pid, hid, False, T0 + timedelta(minutes=1))
    assert failed is not None
    assert again is not None
    assert (again.webhook.failures, again.webhook.failing_since) == (2, format_time(T0))
    assert worker.disable_failing(pid, hid, T0) is True
    assert worker.disable_failing(pid, hid, T0) is False
    off = store.get_webhook(pid, hid, ALICE, OWNERS)
    assert off is not None
    assert (off.webhook.enabled, off.webhook.disabled_reason) == (False, DISABLED_FAILING)
    store.update_webhook(pid, hid, ALICE, OWNERS, {"enabled": True}, None, T0)
    on = store.get_webhook(pid, hid, ALICE, OWNERS)
    assert on is not None
    assert (on.webhook.enabled, on.webhook.failures, on.webhook.failing_since) == (True, 0, None)
    assert on.webhook.disabled_reason is None
    store.delete_webhook(pid, hid, ALICE, OWNERS, None)
    assert worker.begin_attempt(pid, hid) is None
    assert worker.record_outcome(pid, hid, True, T0) is None
    assert not any(sk.startswith(f"WHLOG#{hid}#") for _pk, sk in shared.backend.item_keys())
