"""``FeedTokenStore``: calendar feed tokens (DynamoDB); ``CalendarSource``: the open tasks a
feed shows (PostgreSQL, in a transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tasklane.domain.exchange.calendar import CalendarTask
from tasklane.domain.exchange.feed_tokens import IssuedToken


@dataclass(frozen=True, slots=True)
class FeedRecord:
    user_id: str
    token: str
    token_hash: str
    created_at: str


class FeedTokenStore(Protocol):
    def get_feed(self, user_id: str) -> FeedRecord | None: ...

    def create_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        """The user's feed, unless they have one: then that one (a second tab's request
        finds the first one's)."""

    def replace_feed(self, user_id: str, issued: IssuedToken, now: datetime) -> FeedRecord:
        """A new token; the old one stops working at once."""

    def delete_feed(self, user_id: str) -> None:
        """Revokes the user's feed (nothing happens when there is none)."""

    def feed_by_hash(self, token_hash: str) -> FeedRecord | None:
        """The lookup item's feed (its ``token`` is empty: only the user's item holds it)."""


class CalendarSource(Protocol):
    def calendar_tasks(self, user_id: str, limit: int) -> Sequence[CalendarTask]:
        """Open tasks with a due date in the user's projects, soonest first (one query)."""
