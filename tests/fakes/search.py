"""``TaskSearch`` in memory (a session of :class:`tests.fakes.relational.InMemoryDatabase`).

Close enough to PostgreSQL's full-text search for the use cases' tests, not a copy of it:
words match whole (no stemming), ``"a phrase"`` needs all its words, ``x or y`` either,
``-word`` excludes, the prefix (``word:*``) matches the start of a word. Ranks keep
PostgreSQL's order of weights: a title match outranks a label match outranks a description
match. The contract tests hold the fake and the real adapter to what both do alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from tasklane.domain.models import Task, format_time
from tasklane.domain.ports.search import SearchRow, StatsRow
from tasklane.domain.projection import TaskRow
from tasklane.domain.search import SearchQuery

if TYPE_CHECKING:
    from tests.fakes.relational import RelationalState

#: ts_rank's default weights for A (title), B (labels), C (description).
WEIGHTS = {"title": 1.0, "labels": 0.4, "description": 0.2}
START, STOP = "\ue000", "\ue001"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class _Query:
    """``head`` in web-search syntax, and the word prefix."""

    def __init__(self, head: str, prefix: str | None) -> None:
        self.groups: list[set[str]] = []  # every group must match; any word of a group
        self.excluded: set[str] = set()
        self.prefix = prefix.removesuffix(":*").lower() if prefix else None
        either = False
        for token in re.findall(r'-?"[^"]*"?|\S+', head):
            if token.lower() == "or":
                either = bool(self.groups)
                continue
            negative = token.startswith("-")
            found = words(token)
            if not found:
                continue
            if negative:
                self.excluded.update(found)
            elif either:
                self.groups[-1].update(found[:1])
                self.groups += [{w} for w in found[1:]]
            else:
                self.groups += [{w} for w in found]
            either = False

    @property
    def empty(self) -> bool:
        return not self.groups and self.prefix is None and not self.excluded

    def hits(self, word: str) -> bool:
        return any(word in group for group in self.groups) or (
            self.prefix is not None and word.startswith(self.prefix)
        )

    def matches(self, found: set[str]) -> bool:
        return (
            all(group & found for group in self.groups)
            and not self.excluded & found
            and (self.prefix is None or any(w.startswith(self.prefix) for w in found))
        )


def _mark(text: str, query: _Query) -> str:
    return _WORD.sub(
        lambda m: f"{START}{m.group(0)}{STOP}" if query.hits(m.group(0).lower()) else m.group(0),
        text,
    )


def task_of(row: TaskRow) -> Task:
    return Task(
        id=row.task_id,
        project_id=row.project_id,
        title=row.title,
        description=row.description,
        status=row.status,
        priority=row.priority,
        due_at=format_time(row.due_at) if row.due_at else None,
        labels=list(row.labels),
        created_at=format_time(row.created_at),
        updated_at=format_time(row.updated_at),
        completed_at=format_time(row.completed_at) if row.completed_at else None,
        created_by=row.created_by,
        assignee_id=row.assignee_id,
        version=row.version,
    )


class InMemoryTaskSearch:
    def __init__(self, state: RelationalState) -> None:
        self._state = state

    def _projects(self, user_id: str) -> set[str]:
        return {p for (p, u) in self._state.members if u == user_id}

    def search(
        self,
        user_id: str,
        head: str,
        prefix: str | None,
        query: SearchQuery,
        after: tuple[float, str] | None,
    ) -> list[SearchRow]:
        parsed = _Query(head, prefix)
        if parsed.empty:
            return []
        mine = self._projects(user_id)
        hits: list[SearchRow] = []
        for row in self._state.tasks.values():
            # Trashed tasks keep their row, hidden (as in PostgreSQL).
            if row.project_id not in mine or row.deleted_at is not None or not _kept(row, query):
                continue
            fields = {
                "title": words(row.title),
                "labels": words(" ".join(row.labels)),
                "description": words(row.description),
            }
            if not parsed.matches({w for found in fields.values() for w in found}):
                continue
            rank = sum(
                WEIGHTS[name] for name, found in fields.items() for w in found if parsed.hits(w)
            )
            if after is not None and not (
                rank < after[0] or (rank == after[0] and row.task_id > after[1])
            ):
                continue
            described = any(parsed.hits(w) for w in fields["description"])
            hits.append(
                SearchRow(
                    task=task_of(row),
                    rank=rank,
                    title_headline=_mark(row.title, parsed),
                    description_headline=_mark(row.description, parsed) if described else None,
                )
            )
        hits.sort(key=lambda h: (-h.rank, h.task.id))
        return hits[: query.limit + 1]

    def stats(
        self,
        user_id: str,
        now: datetime,
        day: tuple[datetime, datetime],
        week: tuple[datetime, datetime],
    ) -> list[StatsRow]:
        rows: list[StatsRow] = []
        for project_id in sorted(self._projects(user_id)):
            project = self._state.projects.get(project_id)
            name = project.name if project is not None else None
            groups: dict[tuple[str, str], list[TaskRow]] = defaultdict(list)
            for task in self._state.tasks.values():
                if task.project_id == project_id and task.deleted_at is None:
                    groups[(task.status, task.priority)].append(task)
            if not groups:
                rows.append(StatsRow(project_id, name, None, None, 0, 0, 0, 0))
            for (status, priority), tasks in groups.items():
                open_due = [t.due_at for t in tasks if t.status != "done" and t.due_at]
                rows.append(
                    StatsRow(
                        project_id=project_id,
                        name=name,
                        status=status,
                        priority=priority,
                        count=len(tasks),
                        overdue=sum(1 for d in open_due if d < now),
                        due_today=sum(1 for d in open_due if day[0] <= d < day[1]),
                        due_week=sum(1 for d in open_due if week[0] <= d < week[1]),
                    )
                )
        return rows


def _kept(row: TaskRow, query: SearchQuery) -> bool:
    return (
        (query.project_id is None or row.project_id == query.project_id)
        and (query.status is None or row.status == query.status)
        and (query.priority is None or row.priority == query.priority)
        and (query.label is None or query.label in row.labels)
        and (query.due_before is None or (row.due_at is not None and row.due_at < query.due_before))
        and (query.due_after is None or (row.due_at is not None and row.due_at >= query.due_after))
    )
