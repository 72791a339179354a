"""``WebhookStore`` on DynamoDB: webhooks in their project's partition (``WEBHOOK#<ulid>``),
each with a delivery log of its last 100 attempts (``WHLOG#<webhook>#<slot>``, a ring
indexed by the webhook's attempt counter, so the log never grows).

Round trips — the owner's: create, change and delete are one TransactWriteItems each (the
owner's membership check with the write; a delete then removes the log, a Query and a
BatchWriteItem); reading one is a BatchGetItem of the webhook and the membership; a list or
the log is a GetItem of the membership and one Query. The delivery worker's, per attempt:
an UpdateItem that counts the attempt and returns the webhook, a PutItem into the log, and
an UpdateItem of the failure streak only when it changes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Forbidden, NotFound
from tasklane.domain.exchange.registrations import DISABLED_FAILING, Webhook, WebhookRecord
from tasklane.domain.exchange.webhooks import DELIVERY_LOG_SIZE, DeliveryAttempt, secret_hint
from tasklane.domain.models import Role, format_time

_CONDITION_FAILED = "ConditionalCheckFailedException"


def webhook_to_item(record: WebhookRecord) -> it.Item:
    hook = record.webhook
    values = hook.model_dump(mode="json", exclude={"secret_hint"}, exclude_none=True)
    values |= {"type": "webhook", "webhook_id": hook.id, "secret": record.secret}
    values["attempts"] = record.attempts
    values.pop("id")
    return {**it.webhook_key(hook.project_id, hook.id), **it.serialize(values)}


def webhook_from_item(item: it.Item) -> WebhookRecord:
    data = it.deserialize(item)
    secret = str(data["secret"])
    hook = Webhook(
        id=data["webhook_id"], project_id=data["project_id"], url=data["url"],
        events=data.get("events"), description=data.get("description", ""),
        enabled=bool(data["enabled"]), disabled_reason=data.get("disabled_reason"),
        failures=int(data.get("failures", 0)), failing_since=data.get("failing_since"),
        secret_hint=secret_hint(secret), created_at=data["created_at"],
        created_by=data["created_by"], updated_at=data["updated_at"],
        version=int(data["version"]),
    )  # fmt: skip
    return WebhookRecord(webhook=hook, secret=secret, attempts=int(data.get("attempts", 0)))


class DynamoWebhooks:
    def __init__(self, table: Table) -> None:
        self._table = table

    # The owner's ---------------------------------------------------------------------------
    def _check_role(self, project_id: str, user_id: str, roles: Collection[Role]) -> None:
        found = self._table.batch_get([it.member_key(project_id, user_id)], ["role"])
        if not found:
            raise NotFound("project not found")
        if found[0]["role"]["S"] not in {r.value for r in roles}:
            raise Forbidden("only the project's owner can manage its webhooks")

    def create_webhook(self, record: WebhookRecord, user_id: str, roles: Collection[Role]) -> None:
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": webhook_to_item(record),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        member = self._table.member_check(record.webhook.project_id, user_id, roles)
        try:
            self._table.transact([member, put])
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="project")

    def count_webhooks(self, project_id: str) -> int:
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": "WEBHOOK#"},
            },
            Select="COUNT",
        )
        return int(response.get("Count", 0))

    def get_webhook(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> WebhookRecord | None:
        key, mine = it.webhook_key(project_id, webhook_id), it.member_key(project_id, user_id)
        by_sk = {i["sk"]["S"]: i for i in self._table.batch_get([key, mine])}
        member = by_sk.get(mine["sk"]["S"])
        if member is None:
            raise NotFound("project not found")
        if member["role"]["S"] not in {r.value for r in roles}:
            raise Forbidden("only the project's owner can manage its webhooks")
        found = by_sk.get(key["sk"]["S"])
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
        condition, values = Table.guard(expected_version)
        names = {"#version": "version", "#updated": "updated_at"}
        sets = ["#version = #version + :one", "#updated = :now"]
        removes: list[str] = []
        values |= {":one": {"N": "1"}, ":now": {"S": format_time(now)}}
        for n, (name, value) in enumerate(changes.items()):
            names[f"#c{n}"] = name
            if value is None:
                removes.append(f"#c{n}")
            else:
                sets.append(f"#c{n} = :c{n}")
                values[f":c{n}"] = it.serialize({"v": value})["v"]
        if changes.get("enabled") is True:
            # Switched back on: its failures start again from nothing.
            names |= {"#failures": "failures", "#since": "failing_since", "#why": "disabled_reason"}
            sets.append("#failures = :zero")
            values[":zero"] = {"N": "0"}
            removes += ["#since", "#why"]
        expression = "SET " + ", ".join(sets)
        if removes:
            expression += " REMOVE " + ", ".join(dict.fromkeys(removes))
        update = {
            "Update": {
                "TableName": self._table.name,
                "Key": it.webhook_key(project_id, webhook_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        member = self._table.member_check(project_id, user_id, roles)
        try:
            self._table.transact([member, update])
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="webhook")

    def delete_webhook(
        self,
        project_id: str,
        webhook_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
    ) -> None:
        member = self._table.member_check(project_id, user_id, roles)
        delete = self._table.guarded_delete(
            it.webhook_key(project_id, webhook_id), expected_version
        )
        try:
            self._table.transact([member, delete])
        except TransactionCancelled as exc:
            exc.raise_for(target=1, what="webhook")
        self._table.delete_all(self._table.partition_keys(project_id, f"WHLOG#{webhook_id}#"))

    def deliveries(
        self, project_id: str, webhook_id: str, user_id: str, roles: Collection[Role]
    ) -> list[DeliveryAttempt]:
        if self.get_webhook(project_id, webhook_id, user_id, roles) is None:
            raise NotFound("webhook not found")
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": f"WHLOG#{webhook_id}#"},
            },
            ConsistentRead=True,
        )
        rows = sorted(
            (it.deserialize(item) for item in response.get("Items", [])),
            key=lambda row: int(row["number"]),
            reverse=True,
        )
        return [DeliveryAttempt.model_validate(row["attempt"]) for row in rows]

    # The stream consumer's and the worker's --------------------------------------------------
    def project_webhooks(self, project_id: str) -> list[WebhookRecord]:
        response = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": it.project_pk(project_id)},
                ":prefix": {"S": "WEBHOOK#"},
            },
            ConsistentRead=True,
        )
        return [webhook_from_item(item) for item in response.get("Items", [])]

    def _update(self, key: it.Key, **request: Any) -> it.Item | None:
        try:
            response = self._table.client.update_item(
                TableName=self._table.name, Key=key, ReturnValues="ALL_NEW", **request
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == _CONDITION_FAILED:
                return None
            raise
        return response.get("Attributes")

    def begin_attempt(self, project_id: str, webhook_id: str) -> WebhookRecord | None:
        item = self._update(
            it.webhook_key(project_id, webhook_id),
            UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
        return webhook_from_item(item) if item else None

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
        self._table.client.put_item(
            TableName=self._table.name,
            Item={**it.webhook_log_key(project_id, webhook_id, slot), **it.serialize(values)},
        )

    def record_outcome(
        self, project_id: str, webhook_id: str, delivered: bool, at: datetime
    ) -> WebhookRecord | None:
        key = it.webhook_key(project_id, webhook_id)
        if delivered:
            item = self._update(
                key,
                UpdateExpression="SET failures = :zero REMOVE failing_since",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":zero": {"N": "0"}},
            )
        else:
            item = self._update(
                key,
                UpdateExpression="ADD failures :one "
                "SET failing_since = if_not_exists(failing_since, :at)",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":one": {"N": "1"}, ":at": {"S": format_time(at)}},
            )
        return webhook_from_item(item) if item else None

    def disable_failing(self, project_id: str, webhook_id: str, now: datetime) -> bool:
        item = self._update(
            it.webhook_key(project_id, webhook_id),
            UpdateExpression="SET enabled = :off, disabled_reason = :why, updated_at = :now "
            "ADD version :one",
            ConditionExpression="enabled = :on",
            ExpressionAttributeValues={
                ":off": {"BOOL": False},
                ":on": {"BOOL": True},
                ":why": {"S": DISABLED_FAILING},
                ":now": {"S": format_time(now)},
                ":one": {"N": "1"},
            },
        )
        return item is not None
