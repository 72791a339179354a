"""The calendar ports in memory. ``FeedTokenStore`` on the shared
:class:`tests.fakes.table.InMemoryTable`, in the DynamoDB adapter's item layout
(``tasklane.dal.dynamodb.feeds``): the user's feed item holding the token and the lookup item
keyed by its hash, written and removed together. ``CalendarSource`` on the projection's
:class:`tests.fakes.relational.RelationalState` (``tasklane.dal.postgres.calendar``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tasklane.dal.dynamodb import items as it

# The adapter's own item layout (private there: no other module writes feeds).
from tasklane.dal.dynamodb.feeds import _items, _record
from tasklane.domain.exchange.calendar import CalendarTask
from tasklane.domain.exchange.feed_tokens import IssuedToken
from tasklane.domain.models import Priority, format_time
from tasklane.domain.ports.calendar import FeedRecord
from tests.fakes.table import InMemoryTable, row

if TYPE_CHECKING:
    from tests.fakes.relational import RelationalState


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


class InMemoryCalendar:
    def __init__(self, state: RelationalState) -> None:
        self._state = state

    def calendar_tasks(self, user_id: str, limit: int) -> list[CalendarTask]:
        projects = {p for (p, u) in self._state.members if u == user_id}
        # Trashed tasks stay out, as from every read of the projection.
        rows = sorted(
            (
                t
                for t in self._state.tasks.values()
                if t.project_id in projects
                and t.status != "done"
                and t.due_at is not None
                and t.deleted_at is None
            ),
            key=lambda t: (t.due_at, t.task_id),
        )
        return [
            CalendarTask(
                id=t.task_id,
                title=t.title,
                description=t.description,
                due_at=t.due_at,
                priority=Priority(t.priority),
                labels=tuple(t.labels),
                project_name=self._state.projects[t.project_id].name,
                updated_at=t.updated_at,
                version=t.version,
            )
            for t in rows[:limit]
            if t.due_at is not None
        ]
