"""Webhook payloads, signatures (ours and the docs' receiver snippet), retries, disabling."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasklane.domain.exchange.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    DeliveryAttempt,
    FailureStreak,
    SignatureInvalid,
    WebhookEvent,
    WebhookPayload,
    changed_fields,
    delivery_headers,
    delivery_id,
    new_secret,
    retry_delay,
    secret_hint,
    sign,
    subscribed,
    task_event,
    verify_signature,
)
from tasklane.domain.models import Task

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"
SECRET = "whsec_test-secret"  # pragma: allowlist secret - a test key
NOW = 1_764_601_200


def _task(**changes: Any) -> Task:
    fields: dict[str, Any] = {
        "id": "p-t",
        "project_id": "p",
        "title": "Ship",
        "description": "",
        "status": "todo",
        "priority": "medium",
        "due_at": None,
        "labels": [],
        "created_at": "2026-01-01T00:00:00.000Z",
        "updated_at": "2026-01-01T00:00:00.000Z",
        "completed_at": None,
        "created_by": "u",
        "version": 1,
    }
    return Task.model_validate({**fields, **changes})


def _docs_verify() -> Any:
    """The receiver snippet from docs/api.md, run as written."""
    text = DOCS.read_text()
    block = re.search(r"<!-- webhook-verify[^>]*-->\n```python\n(.*?)```", text, re.S)
    assert block is not None, "the verification snippet is missing from docs/api.md"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "docs/api.md", "exec"), namespace)  # noqa: S102 - our docs
    return namespace["verify"]


def _signed(body: bytes, timestamp: int = NOW) -> dict[str, str]:
    return delivery_headers(SECRET, WebhookEvent.task_updated, "d-1", timestamp, body)


def test_the_signature_is_the_hmac_of_timestamp_dot_body() -> None:
    body = b'{"a": 1}'
    expected = hmac.new(SECRET.encode(), b"1764601200." + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, body) == f"sha256={expected}"
    headers = _signed(body)
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    assert headers[TIMESTAMP_HEADER] == "1764601200"
    assert (headers[EVENT_HEADER], headers[DELIVERY_HEADER]) == ("task.updated", "d-1")
    assert headers["Content-Type"] == "application/json"


def test_verification_accepts_ours_and_refuses_the_rest() -> None:
    body = b'{"event": "task.updated"}'
    verify_signature(SECRET, body, _signed(body), now=NOW + 299)
    cases = [
        (body + b" ", _signed(body), NOW, "does not match"),
        (body, _signed(body), NOW + 301, "tolerance"),
        (body, {**_signed(body), TIMESTAMP_HEADER: "1764601201"}, NOW, "does not match"),
        (body, {TIMESTAMP_HEADER: str(NOW)}, NOW, "missing"),
        (body, {**_signed(body), TIMESTAMP_HEADER: "-5"}, NOW, "malformed"),
    ]
    for data, headers, now, reason in cases:
        with pytest.raises(SignatureInvalid, match=reason):
            verify_signature(SECRET, data, headers, now=now)
    with pytest.raises(SignatureInvalid):
        verify_signature("whsec_other", body, _signed(body), now=NOW)


def test_the_docs_snippet_verifies_a_real_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    verify = _docs_verify()
    payload = WebhookPayload(
        id=delivery_id("w1", "change-1"),
        event=WebhookEvent.task_completed,
        created_at="2026-12-01T15:00:00.000Z",
        webhook_id="w1",
        project_id="p",
        data={"task": _task(title="Tâche ✓").model_dump(mode="json")},
        previous={"status": "todo"},
    )
    body = payload.body()
    headers = {k.lower(): v for k, v in _signed(body).items()}  # as a framework hands them
    monkeypatch.setattr("time.time", lambda: NOW + 10)
    assert verify(SECRET, body, headers) is True
    assert verify(SECRET, body.replace(b"\\u2713", b"x") + b"\n", headers) is False
    assert verify("whsec_wrong", body, headers) is False
    monkeypatch.setattr("time.time", lambda: NOW + 3600)
    assert verify(SECRET, body, headers) is False  # a replay an hour later
    assert json.loads(body)["data"]["task"]["title"] == "Tâche ✓"


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=200),
    timestamp=st.text(max_size=14),
    signature=st.text(max_size=80),
    skew=st.integers(-400, 400),
)
def test_the_docs_snippet_and_verify_signature_agree(
    body: bytes, timestamp: str, signature: str, skew: int
) -> None:
    verify = _docs_verify()
    forged = {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature}
    real = _signed(body, NOW + skew)
    for headers in (forged, real):
        try:
            verify_signature(SECRET, body, headers, now=NOW)
            ours = True
        except SignatureInvalid:
            ours = False
        with mock.patch("time.time", return_value=float(NOW)):
            theirs = verify(SECRET, body, headers)
        assert ours == theirs


def test_secrets_are_random_and_hinted() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(first) >= 6 + 43  # 32 random bytes, URL-safe base64
    assert secret_hint(first) == f"whsec_…{first[-4:]}"


def test_delivery_ids_are_stable_per_change_and_webhook() -> None:
    assert delivery_id("w1", "c1") == delivery_id("w1", "c1")
    assert len({delivery_id("w1", "c1"), delivery_id("w2", "c1"), delivery_id("w1", "c2")}) == 3


def test_task_events() -> None:
    todo = _task()
    assert task_event(None, todo) is WebhookEvent.task_created
    assert task_event(todo, None) is WebhookEvent.task_deleted
    assert task_event(todo, _task(status="done", version=2)) is WebhookEvent.task_completed
    done = _task(status="done", version=2)
    assert task_event(done, _task(status="todo", version=3)) is WebhookEvent.task_updated
    assert task_event(todo, _task(title="New", version=2)) is WebhookEvent.task_updated
    # Only bookkeeping changed (a replayed write): nothing to tell.
    assert task_event(todo, _task(version=2, updated_at="2026-01-02T00:00:00.000Z")) is None
    assert task_event(None, None) is None


def test_subscriptions() -> None:
    assert subscribed(None, WebhookEvent.comment_created)
    assert subscribed([WebhookEvent.task_created], WebhookEvent.task_created)
    assert not subscribed([WebhookEvent.task_created], WebhookEvent.task_deleted)
    assert subscribed([], WebhookEvent.ping)


def test_retries_last_about_a_day_and_stay_within_sqs_limits() -> None:
    delays = [retry_delay(n, "delivery-1") for n in range(1, MAX_ATTEMPTS)]
    assert None not in delays
    total = sum(d for d in delays if d is not None)
    assert 20 * 3600 <= total <= 26 * 3600
    assert all(d is not None and d <= 12 * 3600 for d in delays)
    assert delays == sorted(delays)  # it only backs off
    assert retry_delay(MAX_ATTEMPTS, "delivery-1") is None  # then the DLQ
    assert retry_delay(0, "delivery-1") is None
    # Jitter: reproducible per delivery, different across deliveries, within ±10 %.
    assert delays == [retry_delay(n, "delivery-1") for n in range(1, MAX_ATTEMPTS)]
    others = [retry_delay(1, f"d-{i}") for i in range(50)]
    assert len(set(others)) > 5
    assert all(
        d is not None and 0.9 * RETRY_DELAYS[0] <= d <= 1.1 * RETRY_DELAYS[0] + 1 for d in others
    )


def test_a_webhook_is_disabled_after_failures_that_last() -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    streak = FailureStreak()
    for minute in range(30):  # a burst: 30 failures in half an hour
        streak = streak.after(False, start + timedelta(minutes=minute))
    assert streak.failures == 30
    assert not streak.disables(start + timedelta(minutes=30), 20, 86_400)
    later = streak.after(False, start + timedelta(hours=25))
    assert later.disables(start + timedelta(hours=25), 20, 86_400)
    assert later.after(True, start + timedelta(hours=26)) == FailureStreak()
    few = FailureStreak().after(False, start)
    assert not few.disables(start + timedelta(days=3), 20, 86_400)


def test_the_delivery_log_keeps_1_kib_and_names_the_failure() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    ok = DeliveryAttempt.record("d", WebhookEvent.ping, 1, at, 204, 80, None)
    assert (ok.error, ok.response) == (None, "")
    moved = DeliveryAttempt.record("d", WebhookEvent.ping, 2, at, 302, 50, None, b"x")
    assert moved.error == "redirect (302) not followed"
    big = DeliveryAttempt.record("d", WebhookEvent.ping, 3, at, 500, 90, None, "é".encode() * 600)
    assert big.error == "status 500"
    assert len(big.response.encode()) <= 1024
    down = DeliveryAttempt.record("d", WebhookEvent.ping, 4, at, None, 5000, "timed out")
    assert (down.status, down.error) == (None, "timed out")


def test_a_completed_task_payload_has_the_changed_fields() -> None:
    old, new = _task(), _task(status="done", version=2, completed_at="2026-01-02T00:00:00.000Z")
    assert changed_fields(old, new) == {"status": "todo", "completed_at": None}
    assert task_event(old, new) is WebhookEvent.task_completed
