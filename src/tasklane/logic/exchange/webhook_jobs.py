"""The stream consumer that turns table changes into webhook delivery jobs.

No dual write: a request that changes a task never enqueues its deliveries; this consumer
does, from the stream. For each change of a task, comment, attachment, membership or
project that is news (:func:`tasklane.domain.exchange.changes.webhook_change`), each of the
project's enabled webhooks subscribed to the event gets one job on the webhooks queue. The
job's id is derived from the stream record and the webhook
(:func:`tasklane.domain.exchange.webhooks.delivery_id`): a replayed record enqueues the same
delivery again, and the worker, which claims each delivery for one message, sends it once.

A change older than the webhook (the stream lags) is not its news. A deleted project's
changes (its memberships removed, its items purged) are no news either: only the deletion
itself (``project.deleted``) is sent. Requests: one Query per change of an item type that
has events (none for the rest), and one of the project item only when it has a webhook
that wants the event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.exchange.changes import ITEM_TYPES, webhook_change
from tasklane.domain.exchange.registrations import DeliveryJob
from tasklane.domain.exchange.webhooks import WebhookEvent, delivery_id, subscribed
from tasklane.domain.models import format_time, utc_now
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.queue import JobQueue
from tasklane.domain.ports.webhooks import WebhookDeliveries
from tasklane.logic.activity import api_image
from tasklane.logic.stream import StreamChange
from tasklane.observability import logger


def change_id(change: StreamChange) -> str:
    """The stream record's identity: the same on every replay of it."""
    return change.event_id or change.sequence_number


def _before(change: StreamChange, created_at: str) -> bool:
    """The change happened before the webhook existed (a lagging stream): not its news. The
    stream's time has whole seconds, so only a change a whole second earlier is left out."""
    if change.recorded_at is None:
        return False
    return change.recorded_at < parse_instant(created_at).replace(microsecond=0)


class WebhookJobs:
    """A :class:`tasklane.logic.stream.StreamConsumer`."""

    name = "webhooks"

    def __init__(
        self,
        store: WebhookDeliveries,
        queue: JobQueue | None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        #: None: no webhooks queue configured (a stack without deliveries).
        self._queue = queue
        self._clock = clock

    def handle(self, change: StreamChange) -> None:
        kind = change.item_type
        if kind not in ITEM_TYPES or self._queue is None:
            return
        news = webhook_change(kind, api_image(kind, change.old), api_image(kind, change.new))
        if news is None:
            return
        hooks = [
            record.webhook
            for record in self._store.project_webhooks(news.project_id)
            if record.webhook.enabled
            and subscribed(record.webhook.events, news.event)
            and not _before(change, record.webhook.created_at)
        ]
        if not hooks:
            return
        if news.event is not WebhookEvent.project_deleted and not self._store.project_live(
            news.project_id
        ):
            return
        created_at = format_time(change.recorded_at or self._clock())
        jobs = [
            DeliveryJob(
                id=delivery_id(hook.id, change_id(change)),
                webhook_id=hook.id,
                project_id=news.project_id,
                event=news.event,
                created_at=created_at,
                data=news.data,
                previous=news.previous,
            )
            for hook in hooks
        ]
        self._queue.send(jobs)
        logger.info(
            "webhook deliveries enqueued",
            extra={"delivery_ids": [job.id for job in jobs], "event_id": change.event_id},
        )
