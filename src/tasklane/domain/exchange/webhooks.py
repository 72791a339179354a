"""Webhooks: events, payloads, signatures, retries and when a failing webhook is disabled.

A delivery is one POST of a JSON body with these headers::

    Content-Type: application/json
    X-Tasklane-Event: task.updated
    X-Tasklane-Delivery: 6f1c…            (the same on every retry of this delivery)
    X-Tasklane-Timestamp: 1764601200      (Unix seconds, of this attempt)
    X-Tasklane-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

A receiver recomputes the HMAC over the exact bytes it received, compares in constant time,
and refuses a timestamp more than five minutes away from its clock (a replayed request):
:func:`verify_signature`, and the snippet in docs/api.md. Each attempt is signed anew, with
its own timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.models import Status, Task, format_time

EVENT_HEADER = "X-Tasklane-Event"
DELIVERY_HEADER = "X-Tasklane-Delivery"
TIMESTAMP_HEADER = "X-Tasklane-Timestamp"
SIGNATURE_HEADER = "X-Tasklane-Signature"
USER_AGENT = "Tasklane-Webhooks/1"
SIGNATURE_PREFIX = "sha256="
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret  # pragma: allowlist secret
#: How far a receiver should let a timestamp be from its clock.
DEFAULT_TOLERANCE_SECONDS = 300
#: A response body is kept in the delivery log up to this many bytes.
RESPONSE_EXCERPT_BYTES = 1024
#: Attempts kept in a webhook's delivery log.
DELIVERY_LOG_SIZE = 100
#: Delay after the n-th failed attempt (seconds): about 23 hours in all, 9 attempts. The
#: longest is SQS's longest visibility timeout (12 h), which the worker uses to wait.
RETRY_DELAYS = (30, 120, 600, 1_800, 3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
SQS_MAX_VISIBILITY_SECONDS = 12 * 3_600
_DELIVERY_NAMESPACE = uuid.UUID("5d0f5c1e-3b9a-4c57-9c39-2f7a4f0c1a18")


class WebhookEvent(StrEnum):
    task_created = "task.created"
    #: Any change but completion: title, status (reopened too), due date, assignee, …
    task_updated = "task.updated"
    #: The status became ``done`` (instead of ``task.updated``).
    task_completed = "task.completed"
    task_deleted = "task.deleted"
    comment_created = "comment.created"
    comment_updated = "comment.updated"
    comment_deleted = "comment.deleted"
    attachment_added = "attachment.added"
    attachment_deleted = "attachment.deleted"
    member_added = "member.added"
    member_updated = "member.updated"
    member_removed = "member.removed"
    project_updated = "project.updated"
    project_deleted = "project.deleted"
    #: Sent by ``POST /projects/{id}/webhooks/{webhook_id}/test`` only; always delivered.
    ping = "webhook.ping"


def subscribed(events: Collection[WebhookEvent] | None, event: WebhookEvent) -> bool:
    """``events`` omitted (None) means every event; a ping always goes."""
    return events is None or event is WebhookEvent.ping or event in events


def task_event(old: Task | None, new: Task | None) -> WebhookEvent | None:
    """The event a task change is, or None when nothing a receiver sees changed."""
    if new is None:
        return WebhookEvent.task_deleted if old is not None else None
    if old is None:
        return WebhookEvent.task_created
    if not changed_fields(old, new):
        return None
    if new.status is Status.done and old.status is not Status.done:
        return WebhookEvent.task_completed
    return WebhookEvent.task_updated


#: Bookkeeping that changes with every write: not a change a receiver is told about.
_BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})


def changed_fields(old: Task, new: Task) -> dict[str, Any]:
    """The fields that changed, with their old values (JSON-ready): a payload's
    ``previous``."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return {
        name: value
        for name, value in before.items()
        if name not in _BOOKKEEPING and after.get(name) != value
    }


def delivery_id(webhook_id: str, change_id: str) -> str:
    """The same change for the same webhook is always the same delivery (a replayed stream
    record claims the same id, and a receiver can drop a duplicate by it)."""
    return str(uuid.uuid5(_DELIVERY_NAMESPACE, f"{webhook_id}\x1f{change_id}"))


class WebhookPayload(Model):
    id: str = Field(description="The delivery id (also X-Tasklane-Delivery).")
    event: WebhookEvent
    created_at: str = Field(description="When the change happened (UTC, RFC 3339).")
    webhook_id: str
    project_id: str
    data: dict[str, Any] = Field(
        description="What changed, as the API shows it: {task}, {task_id, comment}, "
        "{task_id, attachment}, {member}, {project}; deleted things as they were."
    )
    previous: dict[str, Any] | None = Field(
        default=None,
        description="For *.updated and task.completed: the changed fields' "
        "values before the change.",
    )

    def body(self) -> bytes:
        """The exact bytes sent and signed."""
        return self.model_dump_json().encode()


def new_secret() -> str:
    """A signing secret: shown once to the owner; stored as it is (the worker signs with it),
    in the encrypted table, never logged."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hint(secret: str) -> str:
    """What lists show of a secret: enough to tell two apart."""
    return f"{SECRET_PREFIX}…{secret[-4:]}"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + mac.hexdigest()


def delivery_headers(
    secret: str, event: WebhookEvent, delivery: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event.value,
        DELIVERY_HEADER: delivery,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


class SignatureInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def verify_signature(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """What a receiver does; raises :class:`SignatureInvalid` unless the request is ours and
    fresh. ``headers`` are matched case-insensitively."""
    lowered = {name.lower(): value for name, value in headers.items()}
    stamp = lowered.get(TIMESTAMP_HEADER.lower(), "").strip()
    given = lowered.get(SIGNATURE_HEADER.lower(), "").strip()
    if not stamp or not given:
        raise SignatureInvalid("missing timestamp or signature header")
    if not _TIMESTAMP.fullmatch(stamp):
        raise SignatureInvalid("malformed timestamp")
    if abs(now - int(stamp)) > tolerance:
        raise SignatureInvalid("timestamp outside the tolerance (replayed or clock skew)")
    expected = sign(secret, int(stamp), body)
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise SignatureInvalid("signature does not match")


# Attempts, retries and disabling ----------------------------------------------------------


def retry_delay(failed_attempt: int, delivery: str) -> int | None:
    """Seconds to wait after the ``failed_attempt``-th attempt (1-based) failed, or None
    when it was the last (the job goes to the DLQ). ±10 % jitter, derived from the delivery
    id so that one delivery's schedule is reproducible while a burst spreads out."""
    if not 1 <= failed_attempt <= len(RETRY_DELAYS):
        return None
    digest = hashlib.sha256(f"{delivery}:{failed_attempt}".encode()).digest()
    spread = int.from_bytes(digest[:4], "big") / 0xFFFFFFFF  # 0..1
    delay = round(RETRY_DELAYS[failed_attempt - 1] * (0.9 + 0.2 * spread))
    return min(delay, SQS_MAX_VISIBILITY_SECONDS)


def attempt_failure(status: int | None, error: str | None) -> str | None:
    """Why an attempt failed, or None if it delivered. Only a 2xx delivers: a redirect is
    not followed (it could point anywhere, the private network included)."""
    if status is None:
        return error or "no response"
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return f"redirect ({status}) not followed"
    return f"status {status}"


def response_excerpt(body: bytes) -> str:
    """At most 1 KiB of a response body, cut on a character boundary, for the log."""
    return body[:RESPONSE_EXCERPT_BYTES].decode("utf-8", "ignore")


class DeliveryAttempt(Model):
    """One row of a webhook's delivery log (the latest 100 are kept)."""

    delivery_id: str
    event: WebhookEvent
    attempt: int = Field(ge=1, le=MAX_ATTEMPTS)
    at: str
    status: int | None = Field(description="The receiver's HTTP status; null if none came.")
    latency_ms: int
    error: str | None = Field(description="Why it failed (null when delivered).")
    response: str = Field(description="The response body's first 1 KiB.")

    @classmethod
    def record(
        cls,
        delivery: str,
        event: WebhookEvent,
        attempt: int,
        at: datetime,
        status: int | None,
        latency_ms: int,
        error: str | None,
        body: bytes = b"",
    ) -> DeliveryAttempt:
        return cls(
            delivery_id=delivery, event=event, attempt=attempt, at=format_time(at),
            status=status, latency_ms=latency_ms, error=attempt_failure(status, error),
            response=response_excerpt(body),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class FailureStreak:
    """Consecutive failed attempts of a webhook, kept on the webhook."""

    failures: int = 0
    since: datetime | None = None

    def after(self, delivered: bool, at: datetime) -> FailureStreak:
        if delivered:
            return FailureStreak()
        return FailureStreak(self.failures + 1, self.since or at)

    def disables(self, now: datetime, max_failures: int, min_seconds: int) -> bool:
        """Both a count and a duration: a short outage during a burst of events fails many
        attempts in minutes and should not disable; a receiver down for a day should."""
        return (
            self.failures >= max_failures
            and self.since is not None
            and now - self.since >= timedelta(seconds=min_seconds)
        )
