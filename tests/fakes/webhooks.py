"""``WebhookDeliveries`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`, in
the DynamoDB adapter's item layout (webhooks, their log's ring, the delivery claims)."""

from __future__ import annotations

from datetime import datetime

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.webhooks import attempt_to_item, webhook_from_item, webhook_to_item
from tasklane.domain.exchange.registrations import DISABLED_FAILING, WebhookRecord
from tasklane.domain.exchange.webhooks import DeliveryAttempt
from tasklane.domain.models import format_time
from tests.fakes.table import InMemoryTable


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
