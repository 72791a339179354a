"""``TaskSearch``: full-text search and counts over the projection, inside
``Relational.transaction()``. Only the caller's projects are ever looked at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tasklane.domain.models import Task
from tasklane.domain.search import SearchQuery


@dataclass(frozen=True, slots=True)
class SearchRow:
    task: Task
    rank: float
    #: Matches bracketed by private-use characters (HTML-escaped by the use case).
    title_headline: str | None
    description_headline: str | None


@dataclass(frozen=True, slots=True)
class StatsRow:
    project_id: str
    name: str | None
    status: str | None
    priority: str | None
    count: int
    overdue: int
    due_today: int
    due_week: int


class TaskSearch(Protocol):
    def search(
        self,
        user_id: str,
        head: str,
        prefix: str | None,
        query: SearchQuery,
        after: tuple[float, str] | None,
    ) -> list[SearchRow]:
        """Up to ``query.limit + 1`` hits, best first (rank, then task id), matching ``head``
        (web-search syntax) and the word prefix ``prefix`` (``word:*``), after the keyset
        ``after`` (rank, task id)."""

    def stats(
        self,
        user_id: str,
        now: datetime,
        day: tuple[datetime, datetime],
        week: tuple[datetime, datetime],
    ) -> list[StatsRow]:
        """Counts per (project, status, priority) over the caller's projects; a project
        without tasks yields one row with a null status."""
