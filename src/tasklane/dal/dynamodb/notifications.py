"""``NotificationInbox`` on DynamoDB: in-app notices and each user's unread counter.

Items, all in the user's partition ``INBOX#<user id>``:

==================  ==========================================================================
sk                  item
==================  ==========================================================================
``NOTE#<ulid>``     a notice (``type = "notification"``), TTL ``expires_at``; while unread
                    also in gsi1: ``UNREAD#<user id>`` / ``NOTE#<ulid>`` (a sparse index of
                    the unread notices: ``unread_only`` pages and read-all are one Query)
``UNREAD``          the unread counter (``unread``); sorts after every ``NOTE#``
``EXPIRED#<ulid>``  a marker that an unread notice expired and was counted down (short TTL)
==================  ==========================================================================

The counter moves only in the transaction that changes a notice's read state: a notice
written (+1, with a put conditional on the notice not existing, so a retried job counts
once), read (-1, conditional on it being unread), expired unread by TTL (-1, once per
notice thanks to the marker; driven by the stream). So it equals the number of unread
notices without ever counting them.

Round trips: first page 1 (one descending Query returns the counter, then the newest
notices), later pages and unread-only pages 2 (Query + GetItem), write 1, read 1.
"""

from __future__ import annotations

import time
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import GSI1_KEYS, Table, TransactionCancelled
from tasklane.domain.notifications import Notification

NOTE = "NOTE#"
COUNTER = "UNREAD"
EXPIRED = "EXPIRED#"
#: Expired-notice markers outlive the stream's 24 h retention: a replay finds them.
EXPIRED_MARKER_SECONDS = 3 * 24 * 3600
#: TransactWriteItems takes 100 actions: 99 notices and the counter.
READ_ALL_CHUNK = 99
_FIELDS = ("kind", "title", "body", "task_id", "project_id", "actor_id", "url", "created_at")


def inbox_pk(user_id: str) -> str:
    return f"INBOX#{user_id}"


def unread_pk(user_id: str) -> str:
    return f"UNREAD#{user_id}"


def note_key(user_id: str, note_id: str) -> it.Key:
    return {"pk": {"S": inbox_pk(user_id)}, "sk": {"S": f"{NOTE}{note_id}"}}


def counter_key(user_id: str) -> it.Key:
    return {"pk": {"S": inbox_pk(user_id)}, "sk": {"S": COUNTER}}


def note_from_item(item: it.Item) -> Notification:
    data = it.deserialize(item)
    return Notification(
        id=str(data["note_id"]),
        read_at=data.get("read_at"),
        **{name: data.get(name) for name in _FIELDS},
    )


class DynamoInbox:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _counter_update(self, user_id: str, delta: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": counter_key(user_id),
                "UpdateExpression": "ADD unread :d",
                "ExpressionAttributeValues": {":d": {"N": str(delta)}},
            }
        }

    def _transact(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """None when done; the cancellation reasons when a condition failed."""
        try:
            self._table.transact(actions)
        except TransactionCancelled as cancelled:
            if not cancelled.condition_failed:
                raise
            return cancelled.reasons
        return None

    def add(self, user_id: str, note: Notification, expires_at: int) -> bool:
        values = {
            "type": "notification",
            "note_id": note.id,
            "user_id": user_id,
            "expires_at": expires_at,
            "gsi1pk": unread_pk(user_id),
            "gsi1sk": f"{NOTE}{note.id}",
            **{
                name: value
                for name in _FIELDS
                if (value := getattr(note, name)) is not None and value != ""
            },
        }
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": {**note_key(user_id, note.id), **it.serialize(values)},
                # A retried job derives the same note id: written and counted once.
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        return self._transact([put, self._counter_update(user_id, 1)]) is None

    def page(
        self, user_id: str, limit: int, start: dict[str, str] | None, unread_only: bool
    ) -> tuple[list[Notification], dict[str, str] | None, int]:
        """A page and the unread count: one Query for a first page of all notices."""
        items, next_key, unread = self._page(user_id, limit, start, unread_only)
        return items, next_key, unread if unread is not None else self.unread(user_id)

    def _page(
        self, user_id: str, limit: int, start: dict[str, str] | None, unread_only: bool
    ) -> tuple[list[Notification], dict[str, str] | None, int | None]:
        with_counter = start is None and not unread_only
        if unread_only:
            query: dict[str, Any] = {
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": unread_pk(user_id)}},
            }
            key_names: tuple[str, ...] = GSI1_KEYS
        else:
            # NOTE# < UNREAD: descending, the counter comes first, then the newest notices;
            # the expiry markers (EXPIRED#) sort before the range.
            query = {
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
                "ExpressionAttributeValues": {
                    ":pk": {"S": inbox_pk(user_id)},
                    ":first": {"S": NOTE},
                    ":last": {"S": COUNTER},
                },
            }
            key_names = ("pk", "sk")
        request = {
            "TableName": self._table.name,
            "ScanIndexForward": False,
            "Limit": limit + 1 + (1 if with_counter else 0),
            **query,
        }
        if start:
            request["ExclusiveStartKey"] = it.expand_key(start)
        response = self._table.client.query(**request)
        found: list[it.Item] = response.get("Items", [])
        unread: int | None = None
        if with_counter:
            unread = 0
            if found and found[0]["sk"]["S"] == COUNTER:
                unread = max(0, int(found[0].get("unread", {}).get("N", "0")))
                found = found[1:]
        if len(found) > limit:
            last = found[limit - 1]
            next_key: dict[str, str] | None = {name: last[name]["S"] for name in key_names}
        else:
            evaluated = response.get("LastEvaluatedKey")
            next_key = it.flatten_key(evaluated) if evaluated else None
            if next_key is not None and next_key.get("sk") == COUNTER:
                next_key = None
        notes = [note_from_item(item) for item in found[:limit] if item["sk"]["S"] != COUNTER]
        return notes, next_key, unread

    def unread(self, user_id: str) -> int:
        item = self._table.client.get_item(
            TableName=self._table.name, Key=counter_key(user_id)
        ).get("Item")
        return max(0, int(item["unread"]["N"])) if item and "unread" in item else 0

    def _read_update(self, user_id: str, note_id: str, at: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": note_key(user_id, note_id),
                "UpdateExpression": "SET read_at = :at REMOVE gsi1pk, gsi1sk",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(read_at)",
                "ExpressionAttributeValues": {":at": {"S": at}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def mark_read(self, user_id: str, note_id: str, at: str) -> bool:
        reasons = self._transact(
            [self._read_update(user_id, note_id, at), self._counter_update(user_id, -1)]
        )
        if reasons is None:
            return True
        # Refused: either there is no such notice, or it was read already (fine: idempotent).
        return bool(reasons[0].get("Item")) or self._exists(user_id, note_id)

    def _exists(self, user_id: str, note_id: str) -> bool:
        found = self._table.client.get_item(
            TableName=self._table.name, Key=note_key(user_id, note_id), ProjectionExpression="pk"
        )
        return "Item" in found

    def mark_all_read(self, user_id: str, at: str) -> int:
        """Every unread notice, in transactions of up to 99 (+ the counter)."""
        marked = 0
        start: dict[str, Any] | None = None
        while True:
            request: dict[str, Any] = {
                "TableName": self._table.name,
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": unread_pk(user_id)}},
                "ProjectionExpression": "note_id",
                "Limit": READ_ALL_CHUNK,
            }
            if start:
                request["ExclusiveStartKey"] = start
            response = self._table.client.query(**request)
            ids = [item["note_id"]["S"] for item in response.get("Items", [])]
            if ids:
                actions = [self._read_update(user_id, note, at) for note in ids]
                if self._transact([*actions, self._counter_update(user_id, -len(ids))]) is None:
                    marked += len(ids)
                else:
                    # One of them was read meanwhile (or the index lagged): one by one.
                    marked += sum(self.mark_read(user_id, note, at) for note in ids)
            start = response.get("LastEvaluatedKey")
            if not start:
                return marked

    def expired(self, user_id: str, note_id: str) -> bool:
        """An unread notice removed by TTL: count it down, once (a replay finds the marker)."""
        marker = {
            "Put": {
                "TableName": self._table.name,
                "Item": {
                    "pk": {"S": inbox_pk(user_id)},
                    "sk": {"S": f"{EXPIRED}{note_id}"},
                    "expires_at": {"N": str(int(time.time()) + EXPIRED_MARKER_SECONDS)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        return self._transact([marker, self._counter_update(user_id, -1)]) is None
