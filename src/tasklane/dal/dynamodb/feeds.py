"""``FeedTokenStore`` on DynamoDB: a user's feed item (``EXCHANGE#<user>``/``CALENDAR``,
holding the token) and its lookup item (``CALFEED#<sha-256 of the token>``, naming the
user), always written and removed together in one TransactWriteItems.

Round trips: reading either is one GetItem; creating one TransactWriteItems; replacing and
revoking a GetItem (the current token's hash) and one TransactWriteItems, conditional on
that hash, so two concurrent regenerations cannot leave a lookup item behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.table import Table, TransactionCancelled
from tasklane.domain.errors import Conflict
from tasklane.domain.exchange.feed_tokens import IssuedToken
from tasklane.domain.models import format_time
from tasklane.domain.ports.calendar import FeedRecord


def _items(user_id: str, issued: IssuedToken, created_at: str) -> tuple[it.Item, it.Item]:
    mine = {
        **it.feed_key(user_id),
        **it.serialize(
            {
                "type": "calendar_feed",
                "user_id": user_id,
                "token": issued.token,
                "token_hash": issued.token_hash,
                "created_at": created_at,
            }
        ),
    }
    lookup = {
        **it.feed_lookup_key(issued.token_hash),
        **it.serialize(
            {
                "type": "calendar_lookup",
                "user_id": user_id,
                "token_hash": issued.token_hash,
                "created_at": created_at,
            }
        ),
    }
    return mine, lookup


def _record(item: it.Item) -> FeedRecord:
    data = it.deserialize(item)
    return FeedRecord(
        user_id=data["user_id"],
        token=data.get("token", ""),
        token_hash=data["token_hash"],
        created_at=data["created_at"],
    )


class DynamoFeeds:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _get(self, key: it.Key) -> FeedRecord | None:
        response = self._table.client.get_item(
            TableName=self._table.name, Key=key, ConsistentRead=True
        )
        item = response.get("Item")
        return _record(item) if item else None

    def get_feed(self, user_id: str) -> FeedRecord | None:
        return self._get(it.feed_key(user_id))

    def feed_by_hash(self, token_hash: str) -> FeedRecord | None:
        return self._get(it.feed_lookup_key(token_hash))

    def create_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        mine, lookup = _items(user_id, issued, format_time(now))
        try:
            self._table.transact([self._put(mine, None), self._put(lookup, None)])
        except TransactionCancelled as exc:
            existing = self.get_feed(user_id)
            if exc.failed(0) and existing is not None:
                return existing
            raise
        return _record(mine)

    def replace_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        current = self.get_feed(user_id)
        mine, lookup = _items(user_id, issued, format_time(now))
        actions = [self._put(mine, current), self._put(lookup, None)]
        if current is not None:
            actions.append(self._delete_lookup(current))
        self._transact(actions)
        return _record(mine)

    def delete_feed(self, user_id: str) -> None:
        current = self.get_feed(user_id)
        if current is None:
            return
        mine = {
            "Delete": {
                "TableName": self._table.name,
                "Key": it.feed_key(user_id),
                "ConditionExpression": "token_hash = :hash",
                "ExpressionAttributeValues": {":hash": {"S": current.token_hash}},
            }
        }
        self._transact([mine, self._delete_lookup(current)])

    def _put(self, item: it.Item, replacing: FeedRecord | None) -> dict[str, Any]:
        """A Put that creates the item, or replaces the feed whose hash was read."""
        put: dict[str, Any] = {"TableName": self._table.name, "Item": item}
        if replacing is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "token_hash = :hash"
            put["ExpressionAttributeValues"] = {":hash": {"S": replacing.token_hash}}
        return {"Put": put}

    def _delete_lookup(self, feed: FeedRecord) -> dict[str, Any]:
        return {
            "Delete": {"TableName": self._table.name, "Key": it.feed_lookup_key(feed.token_hash)}
        }

    def _transact(self, actions: list[dict[str, Any]]) -> None:
        try:
            self._table.transact(actions)
        except TransactionCancelled as exc:
            if exc.condition_failed:
                raise Conflict("the calendar feed changed meanwhile; retry") from exc
            raise
