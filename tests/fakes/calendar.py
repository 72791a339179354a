"""``FeedTokenStore`` in memory, on the shared :class:`tests.fakes.table.InMemoryTable`, in the
DynamoDB adapter's item layout (``tasklane.dal.dynamodb.feeds``): the user's feed item holding
the token and the lookup item keyed by its hash, written and removed together."""

from __future__ import annotations

from datetime import datetime

from tasklane.dal.dynamodb import items as it

# The adapter's own item layout (private there: no other module writes feeds).
from tasklane.dal.dynamodb.feeds import _items, _record
from tasklane.domain.exchange.feed_tokens import IssuedToken
from tasklane.domain.models import format_time
from tasklane.domain.ports.calendar import FeedRecord
from tests.fakes.table import InMemoryTable, row


class InMemoryFeeds:
    def __init__(self, table: InMemoryTable) -> None:
        self._table = table

    def get_feed(self, user_id: str) -> FeedRecord | None:
        item = self._table.get(it.feed_key(user_id))
        return _record(item) if item is not None else None

    def feed_by_hash(self, token_hash: str) -> FeedRecord | None:
        item = self._table.get(it.feed_lookup_key(token_hash))
        return _record(item) if item is not None else None

    def create_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        existing = self.get_feed(user_id)
        if existing is not None:
            return existing
        return self._write(user_id, issued, now)

    def replace_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        self.delete_feed(user_id)
        return self._write(user_id, issued, now)

    def delete_feed(self, user_id: str) -> None:
        current = self.get_feed(user_id)
        if current is None:
            return
        del self._table.items[row(it.feed_key(user_id))]
        self._table.items.pop(row(it.feed_lookup_key(current.token_hash)), None)

    def _write(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        mine, lookup = _items(user_id, issued, format_time(now))
        self._table.put(mine)
        self._table.put(lookup)
        return _record(mine)
