"""``WebhookStore``: a project's webhooks and their delivery logs, in the project's partition;
``WebhookTransport``: one HTTP POST to a vetted address.

The owner's methods check the caller's role in the same round trip as the work (NotFound for
a stranger, Forbidden for a member who is not in ``roles``). The stream consumer and the
delivery worker act for nobody in particular and check nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.exchange.registrations import Webhook, WebhookRecord
from tasklane.domain.exchange.targets import IPAddress, WebhookTarget
from tasklane.domain.exchange.webhooks import DeliveryAttempt
from tasklane.domain.models import Role


class WebhookStore(Protocol):
    # The owner's ---------------------------------------------------------------------------
    def create_webhook(
        self, record: WebhookRecord, user_id: str, roles: Collection[Role]
    ) -> None: ...

    def count_webhooks(self, project_id: str) -> int: ...

    def get_webhook(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> WebhookRecord | None:
        """NotFound / Forbidden for the caller; None when there is no such webhook."""

    def list_webhooks(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> Sequence[Webhook]:
        """Oldest first."""

    def update_webhook(
        self,
        project_id: str,
        webhook_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: Mapping[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """``changes``: the record's fields (``url``, ``events``, ``description``,
        ``enabled``, ``disabled_reason``, ``secret``; None removes one); switching it on
        clears its failures. Bumps the version; PreconditionFailed if ``expected_version``
        is stale."""

    def delete_webhook(
        self,
        project_id: str,
        webhook_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
    ) -> None: ...

    def deliveries(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> Sequence[DeliveryAttempt]:
        """The delivery log, newest first (NotFound when there is no such webhook)."""

    # The stream consumer's and the worker's --------------------------------------------------
    def project_webhooks(self, project_id: str) -> Sequence[WebhookRecord]:
        """Every webhook of the project (one Query)."""

    def begin_attempt(self, project_id: str, webhook_id: str) -> WebhookRecord | None:
        """Counts one attempt and returns the webhook as it is now (with the new count);
        None when it is gone."""

    def record_attempt(
        self, project_id: str, webhook_id: str, attempt: DeliveryAttempt, number: int
    ) -> None:
        """The ``number``-th attempt of the webhook, in its log (which keeps the last 100)."""

    def record_outcome(
        self, project_id: str, webhook_id: str, delivered: bool, at: datetime
    ) -> WebhookRecord | None:
        """The failure streak after an attempt: reset by a delivery, grown by a failure.
        Returns the webhook as it is now (None when it is gone)."""

    def disable_failing(self, project_id: str, webhook_id: str, now: datetime) -> bool:
        """Switches an enabled webhook off for failing; False if it was off already."""


@dataclass(frozen=True, slots=True)
class HttpOutcome:
    #: None: no response (refused, timed out, TLS failed).
    status: int | None
    #: The first bytes of the response body (at most what the caller asked for).
    body: bytes
    latency_ms: int
    error: str | None = None


class WebhookTransport(Protocol):
    def post(
        self,
        target: WebhookTarget,
        address: IPAddress,
        body: bytes,
        headers: Mapping[str, str],
        timeout: float,
        keep_bytes: int,
    ) -> HttpOutcome:
        """One POST to ``address`` (never a new DNS answer) with ``target``'s host for TLS
        and ``Host``; no redirects followed; at most ``keep_bytes`` of the answer read."""
