"""A project owner's webhooks: register, list, change, switch off and on, rotate the secret,
delete, and read the delivery log.

The URL is vetted at registration and whenever it changes (:func:`resolve_target`: https
only in AWS, no address that resolves to a private, loopback, link-local or metadata
range); the delivery worker vets it again before every attempt. The secret is shown once,
when the webhook is created or its secret rotated. Only the owner may do any of this: a
member is 403, anyone else 404 (as for the project itself).

AWS requests: create 2 (the count's Query, the TransactWriteItems) plus DNS; list, read and
the log 1-2; change, rotate and delete a TransactWriteItems and a BatchGetItem to answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tasklane.domain.errors import NotFound, ValidationFailed
from tasklane.domain.exchange.registrations import (
    DISABLED_BY_OWNER,
    MAX_WEBHOOKS_PER_PROJECT,
    TooManyWebhooks,
    Webhook,
    WebhookCreate,
    WebhookPatch,
    WebhookRecord,
    WebhookSecret,
    is_webhook_id,
)
from tasklane.domain.exchange.targets import TargetPolicy
from tasklane.domain.exchange.webhooks import DeliveryAttempt, new_secret
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time, utc_now
from tasklane.domain.ports.webhooks import WebhookStore
from tasklane.logic.access import OWNERS
from tasklane.logic.exchange.webhook_targets import Resolver, resolve_target
from tasklane.logic.projects import ProjectService


class WebhookRegistry:
    def __init__(
        self,
        store: WebhookStore,
        policy: TargetPolicy,
        resolver: Resolver,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._policy = policy
        self._resolver = resolver
        self._clock = clock

    def _vet(self, url: str) -> str:
        return resolve_target(url, self._policy, self._resolver).target.url

    def create(self, user_id: str, project_id: str, data: WebhookCreate) -> WebhookSecret:
        project_id = ProjectService.resolve_id(user_id, project_id)
        # The role first: a stranger learns nothing (404), not even the count.
        self._store.list_webhooks(project_id, user_id, OWNERS)
        if self._store.count_webhooks(project_id) >= MAX_WEBHOOKS_PER_PROJECT:
            raise TooManyWebhooks(
                f"a project has at most {MAX_WEBHOOKS_PER_PROJECT} webhooks",
                {"limit": MAX_WEBHOOKS_PER_PROJECT},
            )
        url = self._vet(data.url)
        secret = new_secret()
        stamp = format_time(self._clock())
        record = WebhookRecord(
            webhook=Webhook(
                id=new_ulid(),
                project_id=project_id,
                url=url,
                events=data.events,
                description=data.description,
                enabled=True,
                disabled_reason=None,
                failures=0,
                failing_since=None,
                secret_hint="",
                created_at=stamp,
                created_by=user_id,
                updated_at=stamp,
                version=1,
            ),
            secret=secret,
        )
        self._store.create_webhook(record, user_id, OWNERS)
        return WebhookSecret(webhook=self._record(user_id, project_id, record.webhook.id).webhook,
                             secret=secret)  # fmt: skip

    def list(self, user_id: str, project_id: str) -> Sequence[Webhook]:
        project_id = ProjectService.resolve_id(user_id, project_id)
        return self._store.list_webhooks(project_id, user_id, OWNERS)

    def get(self, user_id: str, project_id: str, webhook_id: str) -> Webhook:
        return self._record(user_id, project_id, webhook_id).webhook

    def update(
        self, user_id: str, project_id: str, webhook_id: str, patch: WebhookPatch
    ) -> Webhook:
        project_id = ProjectService.resolve_id(user_id, project_id)
        self._record(user_id, project_id, webhook_id)
        try:
            changes = patch.changes()
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from exc
        if "url" in changes:
            changes["url"] = self._vet(changes["url"])
        if changes.get("enabled") is False:
            changes["disabled_reason"] = DISABLED_BY_OWNER
        if changes:
            self._store.update_webhook(
                project_id, webhook_id, user_id, OWNERS, changes, None, self._clock()
            )
        return self.get(user_id, project_id, webhook_id)

    def rotate(self, user_id: str, project_id: str, webhook_id: str) -> WebhookSecret:
        """A new secret, in force for the next attempt (retries already queued included)."""
        project_id = ProjectService.resolve_id(user_id, project_id)
        self._record(user_id, project_id, webhook_id)
        secret = new_secret()
        self._store.update_webhook(
            project_id, webhook_id, user_id, OWNERS, {"secret": secret}, None, self._clock()
        )
        return WebhookSecret(webhook=self.get(user_id, project_id, webhook_id), secret=secret)

    def delete(self, user_id: str, project_id: str, webhook_id: str) -> None:
        project_id = ProjectService.resolve_id(user_id, project_id)
        self._record(user_id, project_id, webhook_id)
        self._store.delete_webhook(project_id, webhook_id, user_id, OWNERS, None)

    def deliveries(
        self, user_id: str, project_id: str, webhook_id: str
    ) -> Sequence[DeliveryAttempt]:
        project_id = ProjectService.resolve_id(user_id, project_id)
        if not is_webhook_id(webhook_id):
            raise NotFound("webhook not found")
        return self._store.deliveries(project_id, webhook_id, user_id, OWNERS)

    def _record(self, user_id: str, project_id: str, webhook_id: str) -> WebhookRecord:
        project_id = ProjectService.resolve_id(user_id, project_id)
        found = None
        if is_webhook_id(webhook_id):
            found = self._store.get_webhook(project_id, webhook_id, user_id, OWNERS)
        if found is None:
            # The caller's role is checked first for a well-formed id (a member sees 403).
            if not is_webhook_id(webhook_id):
                self._store.list_webhooks(project_id, user_id, OWNERS)
            raise NotFound("webhook not found")
        return found
