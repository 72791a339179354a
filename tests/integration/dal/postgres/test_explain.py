"""At 10,000 tasks, search and stats read through indexes, not sequential scans of tasks.

The statements are captured from the DAL functions themselves (not copies), then EXPLAINed
with the same parameters.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.dal.postgres import search as db
from tasklane.dal.postgres.explain import explain
from tasklane.domain.search import SearchQuery
from tasklane.logic.search import parse
from tasklane.logic.stats import day_and_week

TASKS, PROJECTS, USERS = 10_000, 500, 100


@pytest.fixture
def loaded(pg: Engine) -> Engine:
    with pg.begin() as conn:
        conn.execute(
            text(
                """
                INSERT INTO projects (project_id, name, owner_id, version)
                SELECT 'p' || i, 'Project ' || i, 'u' || (i % :users), 1
                FROM generate_series(0, :projects - 1) i
                """
            ),
            {"projects": PROJECTS, "users": USERS},
        )
        conn.execute(
            text(
                """
                INSERT INTO project_members (project_id, user_id, role, seq)
                SELECT 'p' || i, 'u' || (i % :users), 'owner', 1
                FROM generate_series(0, :projects - 1) i
                """
            ),
            {"projects": PROJECTS, "users": USERS},
        )
        words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet"
        conn.execute(
            text(
                """
                INSERT INTO tasks (task_id, project_id, title, description, status, priority,
                    due_at, labels, created_at, updated_at, created_by, version, search)
                SELECT 't' || i, 'p' || (i % :projects),
                    'task ' || i || ' ' || split_part(:words, ' ', 1 + i % 10),
                    'details ' || md5(i::text),
                    (ARRAY['todo','in_progress','done'])[1 + i % 3],
                    (ARRAY['low','medium','high','urgent'])[1 + i % 4],
                    now() + (i % 60 - 30) * interval '1 day',
                    ARRAY['label' || (i % 20)], now(), now(), 'u0', 1,
                    to_tsvector('english', 'task ' || i || ' '
                        || split_part(:words, ' ', 1 + i % 10))
                FROM generate_series(0, :tasks - 1) i
                """
            ),
            {"projects": PROJECTS, "tasks": TASKS, "words": words},
        )
        conn.execute(text("ANALYZE tasks, project_members, projects"))
    return pg


def test_search_uses_indexes_at_10k_tasks(loaded: Engine) -> None:
    parsed = parse("charlie del")
    with loaded.connect() as conn:
        text_plan = explain(
            conn,
            lambda c: db.search(
                c, "u7", parsed.head, parsed.prefix, SearchQuery(q="charlie del"), None
            ),
        )
        count = conn.execute(text("SELECT count(*) FROM tasks")).scalar_one()
    assert count == TASKS
    assert "Seq Scan on tasks" not in text_plan, text_plan
    assert "Index" in text_plan, text_plan


def test_stats_use_indexes_at_10k_tasks(loaded: Engine) -> None:
    now = datetime.now(UTC)
    day, week = day_and_week(now, "Europe/Berlin")
    with loaded.connect() as conn:
        text_plan = explain(conn, lambda c: db.stats(c, "u7", now - timedelta(0), day, week))
    assert "Seq Scan on tasks" not in text_plan, text_plan
    assert "Seq Scan on project_members" not in text_plan, text_plan
    assert "Index" in text_plan, text_plan
