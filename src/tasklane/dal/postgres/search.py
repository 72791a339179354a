"""``TaskSearch`` (tasklane.domain.ports.search) on PostgreSQL: search and stats queries.

Every value is a bound parameter; only fixed SQL fragments are joined, chosen by which
filters are present. The statements are module functions of a connection, so the tests and
benchmarks can EXPLAIN exactly what the adapter sends (:mod:`.explain`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tasklane.domain.models import Task, format_time
from tasklane.domain.ports.search import SearchRow, StatsRow
from tasklane.domain.search import SearchQuery

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: Matches bracketed by private-use characters, HTML-escaped later (logic/search.py).
TITLE_HEADLINE = "StartSel=\ue000, StopSel=\ue001, HighlightAll=true"
DESCRIPTION_HEADLINE = (
    "StartSel=\ue000, StopSel=\ue001, MaxWords=30, MinWords=10, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)

_TASK_COLUMNS = (
    "t.task_id, t.project_id, t.title, t.description, t.status, t.priority, t.due_at, "
    "t.labels, t.created_at, t.updated_at, t.completed_at, t.created_by, t.version, "
    "t.assignee_id"
)


def _time(value: datetime | None) -> str | None:
    return format_time(value) if value is not None else None


def task_from_row(m: Any) -> Task:
    return Task(
        id=m["task_id"],
        project_id=m["project_id"],
        title=m["title"],
        description=m["description"],
        status=m["status"],
        priority=m["priority"],
        due_at=_time(m["due_at"]),
        labels=list(m["labels"]),
        created_at=format_time(m["created_at"]),
        updated_at=format_time(m["updated_at"]),
        completed_at=_time(m["completed_at"]),
        created_by=m["created_by"],
        assignee_id=m["assignee_id"],
        version=m["version"],
    )


def _tsquery(prefix: str | None) -> str:
    if prefix is None:
        return "websearch_to_tsquery('english'::regconfig, :head)"
    return (
        "(websearch_to_tsquery('english'::regconfig, :head) && "
        "to_tsquery('english'::regconfig, :prefix))"
    )


def search(
    conn: Connection,
    user_id: str,
    head: str,
    prefix: str | None,
    query: SearchQuery,
    after: tuple[float, str] | None,
) -> list[SearchRow]:
    """Up to ``query.limit + 1`` hits, best first, in the caller's projects only."""
    from sqlalchemy import text

    params: dict[str, Any] = {
        "user": user_id,
        "head": head,
        "prefix": prefix,
        "limit": query.limit + 1,
        "title_opts": TITLE_HEADLINE,
        "description_opts": DESCRIPTION_HEADLINE,
    }
    where = ["t.search @@ q.query"]
    for column in ("project_id", "status", "priority"):
        value = getattr(query, column)
        if value is not None:
            where.append(f"t.{column} = :{column}")
            params[column] = str(value)
    if query.label is not None:
        where.append("t.labels @> ARRAY[CAST(:label AS text)]")
        params["label"] = query.label
    if query.due_before is not None:
        where.append("t.due_at < :due_before")
        params["due_before"] = query.due_before
    if query.due_after is not None:
        where.append("t.due_at >= :due_after")
        params["due_after"] = query.due_after
    # Keyset pagination on (rank desc, task id asc): stable while rows do not change.
    if after is not None:
        where.append(
            "(ts_rank(t.search, q.query) < CAST(:after_rank AS real) OR "
            "(ts_rank(t.search, q.query) = CAST(:after_rank AS real) AND t.task_id > :after_id))"
        )
        params["after_rank"], params["after_id"] = after
    # The page first, then ts_headline on its rows only (it re-parses each document).
    sql = f"""
        WITH q AS (SELECT {_tsquery(prefix)} AS query),
        page AS (
            SELECT {_TASK_COLUMNS}, ts_rank(t.search, q.query) AS rank
            FROM q, project_members m
            JOIN tasks t ON t.project_id = m.project_id
            WHERE m.user_id = :user AND numnode(q.query) > 0 AND t.deleted_at IS NULL
              AND {" AND ".join(where)}
            ORDER BY rank DESC, t.task_id
            LIMIT :limit
        )
        SELECT page.*,
               ts_headline('english'::regconfig, page.title, q.query, :title_opts)
                   AS title_headline,
               CASE WHEN to_tsvector('english'::regconfig, page.description) @@ q.query
                    THEN ts_headline('english'::regconfig, page.description, q.query,
                                     :description_opts)
               END AS description_headline
        FROM page, q
        ORDER BY page.rank DESC, page.task_id
    """  # noqa: S608 - fixed fragments only; values are bound parameters
    rows = conn.execute(text(sql), params).all()
    return [
        SearchRow(
            task=task_from_row(row._mapping),
            rank=float(row._mapping["rank"]),
            title_headline=row._mapping["title_headline"],
            description_headline=row._mapping["description_headline"],
        )
        for row in rows
    ]


def ilike_search(conn: Connection, user_id: str, term: str, limit: int) -> list[str]:
    """The naive baseline the benchmarks compare against: ``ILIKE '%term%'``."""
    from sqlalchemy import text

    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        text(
            """
            SELECT t.task_id FROM project_members m JOIN tasks t ON t.project_id = m.project_id
            WHERE m.user_id = :user AND t.deleted_at IS NULL
              AND (t.title ILIKE :p OR t.description ILIKE :p
                   OR array_to_string(t.labels, ' ') ILIKE :p)
            ORDER BY t.task_id LIMIT :limit
            """
        ),
        {"user": user_id, "p": pattern, "limit": limit},
    ).all()
    return [row[0] for row in rows]


def stats(
    conn: Connection,
    user_id: str,
    now: datetime,
    day: tuple[datetime, datetime],
    week: tuple[datetime, datetime],
) -> list[StatsRow]:
    """Counts per (project, status, priority) over the caller's projects; a project without
    tasks yields one row with a null status."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            """
            SELECT m.project_id, p.name, t.status, t.priority, count(t.task_id) AS n,
                count(*) FILTER (WHERE t.status <> 'done' AND t.due_at < :now) AS overdue,
                count(*) FILTER (WHERE t.status <> 'done'
                                 AND t.due_at >= :day_start AND t.due_at < :day_end) AS today,
                count(*) FILTER (WHERE t.status <> 'done'
                                 AND t.due_at >= :week_start AND t.due_at < :week_end) AS week
            FROM project_members m
            LEFT JOIN projects p ON p.project_id = m.project_id
            LEFT JOIN tasks t ON t.project_id = m.project_id AND t.deleted_at IS NULL
            WHERE m.user_id = :user
            GROUP BY m.project_id, p.name, t.status, t.priority
            """
        ),
        {
            "user": user_id,
            "now": now,
            "day_start": day[0],
            "day_end": day[1],
            "week_start": week[0],
            "week_end": week[1],
        },
    ).all()
    return [
        StatsRow(
            project_id=r.project_id,
            name=r.name,
            status=r.status,
            priority=r.priority,
            count=int(r.n),
            overdue=int(r.overdue),
            due_today=int(r.today),
            due_week=int(r.week),
        )
        for r in rows
    ]


class PostgresTaskSearch:
    """The search and stats statements, on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def search(
        self,
        user_id: str,
        head: str,
        prefix: str | None,
        query: SearchQuery,
        after: tuple[float, str] | None,
    ) -> list[SearchRow]:
        return search(self._conn, user_id, head, prefix, query, after)

    def stats(
        self,
        user_id: str,
        now: datetime,
        day: tuple[datetime, datetime],
        week: tuple[datetime, datetime],
    ) -> list[StatsRow]:
        return stats(self._conn, user_id, now, day, week)
