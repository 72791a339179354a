"""The ``TaskSearch`` contract (tasklane.domain.ports.search), on every implementation: only
the caller's projects, title matches first, filters, pages by keyset; and the counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tasklane.domain.models import Status
from tasklane.domain.ports.relational import RelationalSession
from tasklane.domain.projection import MemberRow, ProjectRow, TaskRow
from tasklane.domain.search import SearchQuery
from tests.builders import task_row

from .conftest import Backend

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
ADA, BOB = "user-ada", "user-bob"


def row(task_id: str, title: str, project_id: str = "p1", **fields: object) -> TaskRow:
    return task_row(task_id, title=title, project_id=project_id, created_at=NOW, **fields)


def seed(tx: RelationalSession) -> None:
    db = tx.projection
    db.upsert_project(ProjectRow("p1", "Launch", False, ADA, 1))
    db.upsert_project(ProjectRow("p2", "Private", False, BOB, 1))
    db.upsert_project(ProjectRow("p3", "Empty", False, ADA, 1))
    db.upsert_member(MemberRow("p1", ADA, "owner", 1))
    db.upsert_member(MemberRow("p3", ADA, "owner", 1))
    db.upsert_member(MemberRow("p2", BOB, "owner", 1))
    for task in (
        row("t1", "Write launch post", labels=["blog"]),
        row("t2", "Review budget", description="before the launch meeting"),
        row("t3", "Launch checklist", status="done", priority="high"),
        row("t4", "Order coffee", labels=["launch"], due_at=NOW - timedelta(days=1)),
        row("t5", "Launch secret", project_id="p2"),
        row("t6", "Book venue", due_at=NOW + timedelta(hours=2)),
    ):
        db.upsert_task(task)


def search(
    tx: RelationalSession, q: str, prefix: str | None = None, **filters: object
) -> list[str]:
    query = SearchQuery(q=q, limit=20, **filters)  # type: ignore[arg-type]
    return [hit.task.id for hit in tx.search.search(ADA, q, prefix, query, None)]


def test_only_the_callers_projects_and_title_matches_first(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        seed(tx)
        found = search(tx, "launch")
        assert found[0] in ("t1", "t3")  # title matches outrank label and description ones
        assert set(found) == {"t1", "t2", "t3", "t4"}
        assert found.index("t4") < found.index("t2")  # a label outranks the description
        hits = tx.search.search(ADA, "launch", None, SearchQuery(q="launch"), None)
    by_id = {h.task.id: h for h in hits}
    assert "\ue000" in (by_id["t1"].title_headline or "")
    assert by_id["t1"].description_headline is None
    assert "\ue000" in (by_id["t2"].description_headline or "")
    assert by_id["t1"].task.title == "Write launch post"


def test_prefixes_exclusions_and_filters(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        seed(tx)
        assert search(tx, "", "coff:*") == ["t4"]
        assert set(search(tx, "launch -checklist")) == {"t1", "t2", "t4"}
        assert search(tx, "launch", status=Status.done) == ["t3"]
        assert search(tx, "launch", label="blog") == ["t1"]
        assert search(tx, "launch", project_id="p2") == []
        assert search(tx, "launch", due_before=NOW) == ["t4"]
        assert search(tx, "venue", due_after=NOW) == ["t6"]
        assert search(tx, "nothing matches this") == []


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_by_rank_then_id_cover_every_hit_once(backend: Backend, limit: int) -> None:
    with backend.database().transaction() as tx:
        seed(tx)
        everything = search(tx, "launch")
        seen: list[str] = []
        after = None
        for _ in range(10):
            rows = tx.search.search(
                ADA, "launch", None, SearchQuery(q="launch", limit=limit), after
            )
            assert len(rows) <= limit + 1
            page = rows[:limit]
            seen += [r.task.id for r in page]
            if len(rows) <= limit:
                break
            after = (page[-1].rank, page[-1].task.id)
    assert seen == everything


def test_stats_count_per_project_status_and_due_bucket(backend: Backend) -> None:
    day = (NOW.replace(hour=0), NOW.replace(hour=0) + timedelta(days=1))
    week = (day[0] - timedelta(days=2), day[0] + timedelta(days=5))
    with backend.database().transaction() as tx:
        seed(tx)
        rows = tx.search.stats(ADA, NOW, day, week)
    by_key = {(r.project_id, r.status, r.priority): r for r in rows}
    assert set(by_key) == {
        ("p1", "todo", "medium"),
        ("p1", "done", "high"),
        ("p3", None, None),
    }
    todo = by_key[("p1", "todo", "medium")]
    assert (todo.name, todo.count, todo.overdue, todo.due_today, todo.due_week) == (
        "Launch",
        4,
        1,
        1,
        2,
    )
    assert by_key[("p1", "done", "high")].count == 1
    assert by_key[("p3", None, None)].count == 0


def test_a_trashed_task_is_kept_but_hidden_until_restored(backend: Backend) -> None:
    day = (NOW.replace(hour=0), NOW.replace(hour=0) + timedelta(days=1))
    with backend.database().transaction() as tx:
        seed(tx)
        trashed = row("t4", "Order coffee", labels=["launch"], due_at=NOW - timedelta(days=1))
        tx.projection.upsert_task(replace(trashed, version=2, deleted_at=NOW))
        assert "t4" not in search(tx, "launch")
        counts = {(r.project_id, r.status): r for r in tx.search.stats(ADA, NOW, day, day)}
        assert (counts[("p1", "todo")].count, counts[("p1", "todo")].overdue) == (3, 0)
        # Restored (a later version without the mark): found again.
        tx.projection.upsert_task(replace(trashed, version=3))
        assert "t4" in search(tx, "launch")
