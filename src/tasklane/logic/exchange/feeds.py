"""The personal calendar feed: its URL (made on first ask), regenerate, revoke, and the feed
itself for whoever holds the URL.

The feed route has no Cognito token (calendar programs cannot send one): the token in the
URL is the only credential. Anything that is not a live token — malformed, unknown,
revoked, replaced — answers the same 404, without a read for a malformed one
(:mod:`tasklane.domain.exchange.feed_tokens`).

AWS requests: the URL 1 GetItem (plus a TransactWriteItems the first time); regenerate and
revoke a GetItem and a TransactWriteItems; the feed one GetItem and one PostgreSQL query
for the tasks and the profile's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import NotFound
from tasklane.domain.exchange.calendar import CalendarFeed
from tasklane.domain.exchange.feed_tokens import (
    feed_url,
    hash_token,
    new_feed_token,
    parse_token,
    token_matches,
)
from tasklane.domain.models import utc_now
from tasklane.domain.ports.calendar import FeedRecord, FeedTokenStore
from tasklane.domain.ports.relational import Relational
from tasklane.domain.profiles import DEFAULT_TIME_ZONE
from tasklane.logic.exchange.calendar import render_feed

GONE = "no such calendar feed"


class CalendarFeeds:
    def __init__(
        self,
        store: FeedTokenStore,
        database: Relational,
        *,
        api_url: str,
        web_url: str,
        max_events: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._database = database
        self._api_url = api_url
        self._web_url = web_url
        self._max_events = max_events
        self._clock = clock

    def _view(self, record: FeedRecord) -> CalendarFeed:
        return CalendarFeed(url=feed_url(self._api_url, record.token), created_at=record.created_at)

    def url(self, user_id: str) -> CalendarFeed:
        record = self._store.get_feed(user_id)
        if record is None:
            record = self._store.create_feed(user_id, new_feed_token(), self._clock())
        return self._view(record)

    def regenerate(self, user_id: str) -> CalendarFeed:
        return self._view(self._store.replace_feed(user_id, new_feed_token(), self._clock()))

    def revoke(self, user_id: str) -> None:
        self._store.delete_feed(user_id)

    def feed(self, path_segment: str) -> bytes:
        token = parse_token(path_segment)
        if token is None:
            raise NotFound(GONE)
        record = self._store.feed_by_hash(hash_token(token))
        if record is None or not token_matches(token, record.token_hash):
            raise NotFound(GONE)
        with self._database.transaction() as tx:
            tasks = tx.calendar.calendar_tasks(record.user_id, self._max_events)
            time_zone = tx.profiles.time_zone(record.user_id) or DEFAULT_TIME_ZONE
        return render_feed(
            tasks,
            time_zone=time_zone,
            web_url=self._web_url,
            now=self._clock(),
            max_events=self._max_events,
        )
