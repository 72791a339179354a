"""/search and /stats through the api handler, the projection fed from moto's stream."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import sync


def ids(reply: Any) -> list[str]:
    assert reply.status == 200, reply.body
    return [hit["task"]["id"] for hit in reply.body["items"]]


def test_search_ranks_title_over_description_and_matches_prefixes(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    in_title = api.post("/projects/inbox/tasks", {"title": "Deploy the billing service"}).body
    in_desc = api.post(
        "/projects/inbox/tasks", {"title": "Friday", "description": "then deploy billing"}
    ).body
    labelled = api.post("/projects/inbox/tasks", {"title": "Misc", "labels": ["billing"]}).body
    api.post("/projects/inbox/tasks", {"title": "Unrelated"})
    sync(aws)

    assert ids(api.get("/search", query={"q": "billing"})) == [
        in_title["id"],
        labelled["id"],
        in_desc["id"],
    ]
    # The last word matches as a prefix (typing "bill" finds billing); stems match too.
    assert set(ids(api.get("/search", query={"q": "deploying bill"}))) == {
        in_title["id"],
        in_desc["id"],
    }
    hit = api.get("/search", query={"q": "billing"}).body["items"][0]
    assert hit["highlights"]["title"] == "Deploy the <mark>billing</mark> service"
    assert (
        "<mark>"
        not in api.get("/search", query={"q": "misc"}).body["items"][0]["highlights"]["description"]
    )


def test_search_sees_only_the_callers_projects_and_applies_filters(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    mine = api.post(
        "/projects/inbox/tasks",
        {"title": "secret plan", "priority": "high", "due_at": "2030-01-02T00:00:00Z"},
    ).body
    api.post("/projects/inbox/tasks", {"title": "secret plan", "status": "done"})
    api.post("/projects/inbox/tasks", {"title": "secret plan of b"}, user="user-b")
    sync(aws)
    assert len(ids(api.get("/search", query={"q": "secret"}))) == 2
    assert len(ids(api.get("/search", query={"q": "secret"}, user="user-b"))) == 1
    assert ids(api.get("/search", query={"q": "secret", "priority": "high"})) == [mine["id"]]
    assert ids(api.get("/search", query={"q": "secret", "status": "todo"})) == [mine["id"]]
    before = {"q": "secret", "due_before": "2030-01-03T00:00:00Z"}
    assert ids(api.get("/search", query=before)) == [mine["id"]]
    assert ids(api.get("/search", query={"q": "user-b plan", "status": "todo"})) == []


def test_search_pages_with_signed_cursors(api: Api, aws: LocalConfig, pg: Engine) -> None:
    for n in range(7):
        api.post("/projects/inbox/tasks", {"title": f"report {n}", "description": "report " * n})
    sync(aws)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        query = {"q": "report", "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api.get("/search", query=query)
        seen += ids(page)
        cursor = page.body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    first = api.get("/search", query={"q": "report", "limit": 3}).body["next_cursor"]
    assert api.get("/search", query={"q": "other", "cursor": first}).status == 400
    assert api.get("/search", query={"q": "report", "cursor": first + "x"}).status == 400
    # Bound to its user like every cursor (issue 14, finding 8): another user's is refused.
    stolen = api.get("/search", user="user-z", query={"q": "report", "cursor": first})
    assert (stolen.status, stolen.error_code) == (400, "bad_request")


NASTY = [
    "'; DROP TABLE tasks; --",
    "a & b | !c",
    "foo:* <-> bar",
    '"unclosed',
    "-",
    "or",
    "!!!",
    "():*&|",
    "\x00nul",
    "\ud800 lone surrogate",
    "the",
    "😀 emoji",
    "a" * 1000,
    "\\",
    "%_",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("q", NASTY)
def test_any_query_string_is_safe(api: Api, aws: LocalConfig, pg: Engine, q: str) -> None:
    api.post("/projects/inbox/tasks", {"title": "<b>bold</b> script alert"})
    sync(aws)
    reply = api.get("/search", query={"q": q})
    assert reply.status in (200, 422), reply.body
    if reply.status == 200:
        for hit in reply.body["items"]:
            assert "<b>" not in hit["highlights"]["title"]
    with pg.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tasks")).scalar_one() == 1


def test_stats_count_in_the_users_time_zone(api: Api, aws: LocalConfig, pg: Engine) -> None:
    assert api.patch("/me", {"time_zone": "Pacific/Kiritimati"}).status == 200  # UTC+14
    now = datetime.now(UTC)
    project = api.post("/projects", {"name": "Work"}).body
    api.post(
        f"/projects/{project['id']}/tasks",
        {"title": "late", "due_at": _iso(now - timedelta(hours=1))},
    )
    api.post(
        f"/projects/{project['id']}/tasks",
        {"title": "done late", "status": "done", "due_at": _iso(now - timedelta(hours=1))},
    )
    api.post(
        "/projects/inbox/tasks",
        {"title": "later", "priority": "urgent", "due_at": _iso(now + timedelta(days=30))},
    )
    api.post("/projects/inbox/tasks", {"title": "b's", "due_at": _iso(now)}, user="user-b")
    sync(aws)
    stats = api.get("/stats")
    assert stats.status == 200, stats.body
    body = stats.body
    assert body["time_zone"] == "Pacific/Kiritimati"
    total = body["total"]
    assert total["total"] == 3
    assert total["by_status"] == {"todo": 2, "in_progress": 0, "done": 1}
    assert total["by_priority"]["urgent"] == 1
    assert total["overdue"] == 1
    names = {p["name"]: p["counts"]["total"] for p in body["projects"]}
    assert names == {"Inbox": 1, "Work": 2}


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")
