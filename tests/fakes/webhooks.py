"""The webhook ports in memory, on the shared :class:`tests.fakes.table.InMemoryTable`, in the
DynamoDB adapter's item layout (``tasklane.dal.dynamodb.webhooks``): the owner's
``WebhookStore`` and the stream consumer's and worker's ``WebhookDeliveries`` (webhooks, their
log's ring, the delivery claims)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.webhooks import attempt_to_item, webhook_from_item, webhook_to_item
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.exchange.registrations import DISABLED_FAILING, Webhook, WebhookRecord
from tasklane.domain.exchange.webhooks import DeliveryAttempt
from tasklane.domain.models import Role, format_time
from tests.fakes.table import InMemoryTable

_OWNERS_ONLY = "only the project's owner can manage its webhooks"


class InMemoryWebhooks:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    # The owner's ---------------------------------------------------------------------------
    def _check_role(self, project_id: str, user_id: str, roles: Collection[Role]) -> None:
        member = self._table.get(it.member_key(project_id, user_id))
        if member is None:
            raise NotFound("project not found")
        if member["role"]["S"] not in {r.value for r in roles}:
            raise Forbidden(_OWNERS_ONLY)

    def _prefixed(self, project_id: str, prefix: str) -> list[it.Item]:
        pk = it.project_pk(project_id)
        return [
            item
            for (p, s), item in sorted(self._table.items.items())
            if p == pk and s.startswith(prefix)
        ]

    def create_webhook(self, record: WebhookRecord, user_id: str, roles: Collection[Role]) -> None:
        project_id = record.webhook.project_id
        self._table.check_member(project_id, user_id, roles, "project")
        self._table.check_writable(project_id)
        item = webhook_to_item(record)
        if self._table.get(item) is not None:
            raise Conflict("a webhook with this id already exists")
        self._table.put(item)

    def count_webhooks(self, project_id: str) -> int:
        return len(self._prefixed(project_id, "WEBHOOK#"))

    def get_webhook(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> WebhookRecord | None:
        self._check_role(project_id, user_id, roles)
        found = self._table.get(it.webhook_key(project_id, webhook_id))
        return webhook_from_item(found) if found is not None else None

    def list_webhooks(
        self, project_id: str, user_id: str, roles: Collection[Role]
    ) -> list[Webhook]:
        self._check_role(project_id, user_id, roles)
        return [webhook_from_item(i).webhook for i in self._prefixed(project_id, "WEBHOOK#")]

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
        self._table.check_member(project_id, user_id, roles, "webhook")
        self._table.check_writable(project_id)
        key = it.webhook_key(project_id, webhook_id)
        data = it.deserialize(self._table.check_target(key, expected_version, "webhook"))
        data |= {"version": int(data["version"]) + 1, "updated_at": format_time(now)}
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        if changes.get("enabled") is True:
            data["failures"] = 0
            data.pop("failing_since", None)
            data.pop("disabled_reason", None)
        self._table.put(it.serialize(data))

    def delete_webhook(
        self,
        project_id: str,
        webhook_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
    ) -> None:
        self._table.check_member(project_id, user_id, roles, "webhook")
        self._table.check_writable(project_id)
        key = it.webhook_key(project_id, webhook_id)
        self._table.check_target(key, expected_version, "webhook")
        del self._table.items[(key["pk"]["S"], key["sk"]["S"])]
        for item in self._prefixed(project_id, f"WHLOG#{webhook_id}#"):
            del self._table.items[(item["pk"]["S"], item["sk"]["S"])]

    def deliveries(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> list[DeliveryAttempt]:
        if self.get_webhook(project_id, webhook_id, user_id, roles) is None:
            raise NotFound("webhook not found")
        rows = sorted(
            (it.deserialize(i) for i in self._prefixed(project_id, f"WHLOG#{webhook_id}#")),
            key=lambda row: int(row["number"]),
            reverse=True,
        )
        return [DeliveryAttempt.model_validate(row["attempt"]) for row in rows]


class InMemoryWebhookDeliveries:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    # Test helpers (no port has these) ------------------------------------------------
    def add(self, record: WebhookRecord) -> None:
        self._table.put(webhook_to_item(record))

    def log(self, project_id: str, webhook_id: str) -> list[tuple[int, DeliveryAttempt]]:
        """The log's ``(number, attempt)`` rows, newest first."""
        pk, prefix = it.project_pk(project_id), f"WHLOG#{webhook_id}#"
        rows = [
            (
                int(it.deserialize(item)["number"]),
                DeliveryAttempt.model_validate(it.deserialize(item)["attempt"]),
            )
            for (p, s), item in self._table.items.items()
            if p == pk and s.startswith(prefix)
        ]
        return sorted(rows, key=lambda r: r[0], reverse=True)

    # The port ----------------------------------------------------------------------
    def _record(self, project_id: str, webhook_id: str) -> WebhookRecord | None:
        item = self._table.get(it.webhook_key(project_id, webhook_id))
        return webhook_from_item(item) if item is not None else None

    def _save(self, record: WebhookRecord) -> WebhookRecord:
        self._table.put(webhook_to_item(record))
        return record

    def project_webhooks(self, project_id: str) -> list[WebhookRecord]:
        pk = it.project_pk(project_id)
        return [
            webhook_from_item(self._table.items[(p, s)])
            for p, s in sorted(self._table.items)
            if p == pk and s.startswith("WEBHOOK#")
        ]

    def project_live(self, project_id: str) -> bool:
        return self._table.live_project(project_id)

    def claim_delivery(
        self, project_id: str, delivery_id: str, message_id: str, expires_at: int
    ) -> bool:
        key = it.webhook_claim_key(project_id, delivery_id)
        found = self._table.get(key)
        # As the adapter's condition: unowned, or owned by this message and not finished.
        owner = (found or {}).get("message_id", {}).get("S")
        if owner is not None and (owner != message_id or "finished" in (found or {})):
            return False
        item = dict(found or key)
        item |= {"message_id": {"S": message_id}, it.EXPIRES_AT: {"N": str(expires_at)}}
        self._table.put(item)
        return True

    def finish_delivery(self, project_id: str, delivery_id: str) -> None:
        key = it.webhook_claim_key(project_id, delivery_id)
        self._table.put(dict(self._table.get(key) or key) | {"finished": {"BOOL": True}})

    def release_delivery(self, project_id: str, delivery_id: str) -> None:
        key = it.webhook_claim_key(project_id, delivery_id)
        found = self._table.get(key)
        if found is not None:
            self._table.put({k: v for k, v in found.items() if k != "message_id"})

    def begin_attempt(self, project_id: str, webhook_id: str) -> WebhookRecord | None:
        record = self._record(project_id, webhook_id)
        if record is None:
            return None
        return self._save(record.model_copy(update={"attempts": record.attempts + 1}))

    def record_attempt(
        self, project_id: str, webhook_id: str, attempt: DeliveryAttempt, number: int
    ) -> None:
        self._table.put(attempt_to_item(project_id, webhook_id, attempt, number))

    def record_outcome(
        self, project_id: str, webhook_id: str, delivered: bool, at: datetime
    ) -> WebhookRecord | None:
        record = self._record(project_id, webhook_id)
        if record is None:
            return None
        hook = record.webhook
        changes: dict[str, object]
        if delivered:
            changes = {"failures": 0, "failing_since": None}
        else:
            changes = {"failures": hook.failures + 1,
                       "failing_since": hook.failing_since or format_time(at)}  # fmt: skip
        webhook = hook.model_copy(update=changes)
        return self._save(record.model_copy(update={"webhook": webhook}))

    def disable_failing(self, project_id: str, webhook_id: str, now: datetime) -> bool:
        record = self._record(project_id, webhook_id)
        if record is None or not record.webhook.enabled:
            return False
        hook = record.webhook
        webhook = hook.model_copy(
            update={"enabled": False, "disabled_reason": DISABLED_FAILING,
                    "updated_at": format_time(now), "version": hook.version + 1}
        )  # fmt: skip
        self._save(record.model_copy(update={"webhook": webhook}))
        return True
