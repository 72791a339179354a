"""``WebhookStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`, in the
adapter's item layout (``tasklane.dal.dynamodb.webhooks``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.webhooks import webhook_from_item, webhook_to_item
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.exchange.registrations import DISABLED_FAILING, Webhook, WebhookRecord
from tasklane.domain.exchange.webhooks import DELIVERY_LOG_SIZE, DeliveryAttempt
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
        return [r.webhook for r in self.project_webhooks(project_id)]

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

    # The stream consumer's and the worker's --------------------------------------------------
    def project_webhooks(self, project_id: str) -> Sequence[WebhookRecord]:
        return [webhook_from_item(i) for i in self._prefixed(project_id, "WEBHOOK#")]

    def _change(self, project_id: str, webhook_id: str, **values: Any) -> WebhookRecord | None:
        found = self._table.get(it.webhook_key(project_id, webhook_id))
        if found is None:
            return None
        data = it.deserialize(found) | values
        self._table.put(it.serialize(data))
        return webhook_from_item(it.serialize(data))

    def _record(self, project_id: str, webhook_id: str) -> dict[str, Any] | None:
        found = self._table.get(it.webhook_key(project_id, webhook_id))
        return it.deserialize(found) if found is not None else None

    def begin_attempt(self, project_id: str, webhook_id: str) -> WebhookRecord | None:
        data = self._record(project_id, webhook_id)
        if data is None:
            return None
        return self._change(project_id, webhook_id, attempts=int(data.get("attempts", 0)) + 1)

    def record_attempt(
        self, project_id: str, webhook_id: str, attempt: DeliveryAttempt, number: int
    ) -> None:
        slot = (number - 1) % DELIVERY_LOG_SIZE
        values = {
            "type": "webhook_attempt",
            "webhook_id": webhook_id,
            "number": number,
            "attempt": attempt.model_dump(mode="json"),
        }
        key = it.webhook_log_key(project_id, webhook_id, slot)
        self._table.put({**key, **it.serialize(values)})

    def record_outcome(
        self, project_id: str, webhook_id: str, delivered: bool, at: datetime
    ) -> WebhookRecord | None:
        data = self._record(project_id, webhook_id)
        if data is None:
            return None
        if delivered:
            data["failures"] = 0
            data.pop("failing_since", None)
        else:
            data["failures"] = int(data.get("failures", 0)) + 1
            data.setdefault("failing_since", format_time(at))
        self._table.put(it.serialize(data))
        return webhook_from_item(it.serialize(data))

    def disable_failing(self, project_id: str, webhook_id: str, now: datetime) -> bool:
        data = self._record(project_id, webhook_id)
        if data is None or not data.get("enabled"):
            return False
        data |= {
            "enabled": False,
            "disabled_reason": DISABLED_FAILING,
            "updated_at": format_time(now),
            "version": int(data["version"]) + 1,
        }
        self._table.put(it.serialize(data))
        return True
