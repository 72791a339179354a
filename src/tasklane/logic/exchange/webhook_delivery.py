"""The delivery worker's use case: one attempt of one delivery job.

Each receive of a job's queue message is one attempt. The message first claims the
delivery (a replayed stream record enqueues the same delivery id again: the second message
finds it claimed and delivers nothing). The webhook is read anew (a rotated secret, a
changed URL, a webhook switched off apply to the retries already queued), its host
resolved and vetted again (:func:`resolve_target`: no private, loopback, link-local or
metadata address, whatever DNS answers now), and the body posted, signed with this
attempt's timestamp, to the vetted address (no redirect followed, the configured timeout,
at most 1 KiB of the answer kept). The attempt goes into the webhook's delivery log.

A failure grows the webhook's failure streak; a streak long enough in count and time
switches the webhook off (the stream then tells its owner: in-app and e-mail, through the
notifications). The caller retries a failed attempt after :func:`retry_delay` (the
message's visibility) until the last attempt, whose failure sends the message to the DLQ.

AWS requests per attempt: 4 (claim, count, log, and finish or release; a retry needs none
of the last) plus 1 when the streak changes, and the handler's ChangeMessageVisibility for
a retry.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tasklane.domain.exchange.registrations import DeliveryJob, WebhookRecord
from tasklane.domain.exchange.targets import TargetPolicy, UnsafeTarget
from tasklane.domain.exchange.webhooks import (
    MAX_ATTEMPTS,
    RESPONSE_EXCERPT_BYTES,
    DeliveryAttempt,
    FailureStreak,
    WebhookEvent,
    WebhookPayload,
    delivery_headers,
    retry_delay,
)
from tasklane.domain.models import format_time, utc_now
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.webhooks import HttpOutcome, WebhookDeliveries, WebhookTransport
from tasklane.logic.exchange.webhook_targets import Resolver, resolve_target

#: A claim outlives the longest retry schedule (~23 h) with room to spare.
CLAIM_SECONDS = 2 * 24 * 3_600
#: What the log says of a receiver whose address is refused at delivery (the same words
#: whatever the address was: the log is no map of a network).
REFUSED_ADDRESS = "the receiver's host does not resolve to a public address"


class Outcome(StrEnum):
    delivered = "delivered"
    #: Failed; try again after ``retry_after`` seconds.
    retry = "retry"
    #: The last attempt failed (the message goes to the DLQ).
    gave_up = "gave_up"
    #: Nothing sent: another message owns the delivery, it is done, or the webhook is
    #: gone or switched off.
    skipped = "skipped"


@dataclass(frozen=True, slots=True)
class AttemptResult:
    outcome: Outcome
    retry_after: int | None = None
    attempt: DeliveryAttempt | None = None
    #: This attempt switched the webhook off.
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class DeliveryRules:
    timeout_seconds: float = 5.0
    disable_after_failures: int = 20
    disable_after_seconds: int = 24 * 3_600
    #: Multiplies the retry delays (the local runtime's shortcut; 1 in AWS).
    retry_scale: float = 1.0


def scaled_delay(failed_attempt: int, delivery: str, scale: float) -> int | None:
    delay = retry_delay(failed_attempt, delivery)
    return None if delay is None else max(0, round(delay * scale))


def ping_job(record: WebhookRecord, now: datetime) -> DeliveryJob:
    """``webhook.ping``: a delivery of its own (a fresh id each time the owner asks)."""
    hook = record.webhook
    return DeliveryJob(
        id=str(uuid.uuid4()),
        webhook_id=hook.id,
        project_id=hook.project_id,
        event=WebhookEvent.ping,
        created_at=format_time(now),
        data={"webhook": {"id": hook.id, "url": hook.url}},
    )


class WebhookDeliverer:
    def __init__(
        self,
        store: WebhookDeliveries,
        transport: WebhookTransport,
        resolver: Resolver,
        policy: TargetPolicy,
        rules: DeliveryRules,
        clock: Callable[[], datetime] = utc_now,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._transport = transport
        self._resolver = resolver
        self._policy = policy
        self._rules = rules
        self._clock = clock
        self._wall = wall

    def attempt(self, job: DeliveryJob, message_id: str, receive_count: int) -> AttemptResult:
        """The ``receive_count``-th attempt (1-based) of ``job``, carried by ``message_id``."""
        project, hook_id = job.project_id, job.webhook_id
        expires = int(self._wall()) + CLAIM_SECONDS
        if not self._store.claim_delivery(project, job.id, message_id, expires):
            return AttemptResult(Outcome.skipped)
        record = self._store.begin_attempt(project, hook_id)
        # A ping goes to a switched-off webhook too: the owner tests it before switching on.
        if record is None or not (record.webhook.enabled or job.event is WebhookEvent.ping):
            self._store.finish_delivery(project, job.id)
            return AttemptResult(Outcome.skipped)
        number = min(max(receive_count, 1), MAX_ATTEMPTS)
        now = self._clock()
        body = WebhookPayload(
            id=job.id, event=job.event, created_at=job.created_at, webhook_id=hook_id,
            project_id=project, data=job.data, previous=job.previous,
        ).body()  # fmt: skip
        answer = self._post(record, job, body)
        attempt = DeliveryAttempt.record(
            job.id, job.event, number, now, answer.status, answer.latency_ms, answer.error,
            answer.body,
        )  # fmt: skip
        self._store.record_attempt(project, hook_id, attempt, record.attempts)
        if attempt.error is None:
            if record.webhook.failures:
                self._store.record_outcome(project, hook_id, True, now)
            self._store.finish_delivery(project, job.id)
            return AttemptResult(Outcome.delivered, attempt=attempt)
        disabled = self._count_failure(project, hook_id, now)
        delay = scaled_delay(number, job.id, self._rules.retry_scale)
        if disabled:
            # Switched off: the retries would be skipped; the owner fixes and re-enables.
            self._store.finish_delivery(project, job.id)
            return AttemptResult(Outcome.skipped, attempt=attempt, disabled=True)
        if delay is None:
            # To the DLQ: an operator's replay (a new message) may deliver it then.
            self._store.release_delivery(project, job.id)
            return AttemptResult(Outcome.gave_up, attempt=attempt)
        return AttemptResult(Outcome.retry, retry_after=delay, attempt=attempt)

    def _post(self, record: WebhookRecord, job: DeliveryJob, body: bytes) -> HttpOutcome:
        try:
            resolved = resolve_target(record.webhook.url, self._policy, self._resolver)
        except UnsafeTarget:
            return HttpOutcome(None, b"", 0, REFUSED_ADDRESS)
        stamp = int(self._wall())
        headers = delivery_headers(record.secret, job.event, job.id, stamp, body)
        return self._transport.post(
            resolved.target, resolved.addresses[0], body, headers,
            self._rules.timeout_seconds, RESPONSE_EXCERPT_BYTES,
        )  # fmt: skip

    def _count_failure(self, project: str, hook_id: str, now: datetime) -> bool:
        """Grows the streak; True when it switched the webhook off."""
        after = self._store.record_outcome(project, hook_id, False, now)
        if after is None or not after.webhook.enabled:
            return False
        since = after.webhook.failing_since
        streak = FailureStreak(after.webhook.failures, parse_instant(since) if since else None)
        rules = self._rules
        if not streak.disables(now, rules.disable_after_failures, rules.disable_after_seconds):
            return False
        return self._store.disable_failing(project, hook_id, now)
