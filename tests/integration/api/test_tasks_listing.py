"""Listing a project's tasks: filters, sorts, pagination and cursors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api

PRIORITIES = ["low", "medium", "high", "urgent"]
STATUSES = ["todo", "in_progress", "done"]


@pytest.fixture
def seeded(api: Api) -> tuple[str, list[dict[str, Any]]]:
    """Twelve tasks with varied fields (three undated) in a fresh project."""
    project = api.post("/projects", {"name": "List"}).body["id"]
    tasks = []
    for n in range(12):
        fields: dict[str, Any] = {
            "title": f"task {n:02d}",
            "priority": PRIORITIES[n % 4],
            "status": STATUSES[n % 3],
            "labels": ["even"] if n % 2 == 0 else ["odd", "Shared"],
        }
        if n % 4 != 3:
            # Due dates not in creation order, so each sort gives a different order.
            fields["due_at"] = f"2026-12-{(n * 7) % 12 + 1:02d}T09:00:00+00:00"
        reply = api.post(f"/projects/{project}/tasks", fields)
        assert reply.status == 201
        tasks.append(reply.body)
    return project, tasks


def _all(api: Api, project: str, **query: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        reply = api.get(f"/projects/{project}/tasks", query={**query, "cursor": cursor})
        assert reply.status == 200, reply
        assert len(reply.body["items"]) <= query.get("limit", 50)
        items += reply.body["items"]
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return items


def _titles(items: list[dict[str, Any]]) -> list[str]:
    return [t["title"] for t in items]


def test_pagination_across_pages_has_no_gaps_or_duplicates(api: Api, seeded: Any) -> None:
    project, tasks = seeded
    pages = []
    cursor = None
    while True:
        reply = api.get(f"/projects/{project}/tasks", query={"limit": 5, "cursor": cursor})
        pages.append(_titles(reply.body["items"]))
        cursor = reply.body["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [title for page in pages for title in page] == _titles(tasks)


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_in_both_directions(api: Api, seeded: Any, order: str) -> None:
    project, tasks = seeded
    reverse = order == "desc"
    by_created = sorted(tasks, key=lambda t: t["id"], reverse=reverse)
    assert _titles(_all(api, project, sort="created", order=order, limit=4)) == _titles(by_created)

    by_priority = sorted(
        tasks, key=lambda t: (PRIORITIES.index(t["priority"]), t["id"]), reverse=reverse
    )
    assert _titles(_all(api, project, sort="priority", order=order, limit=4)) == _titles(
        by_priority
    )

    # Undated tasks come last ascending (first descending), like NULLS LAST / NULLS FIRST.
    by_due = sorted(tasks, key=lambda t: (t["due_at"] or "~", t["id"]), reverse=reverse)
    assert _titles(_all(api, project, sort="due", order=order, limit=4)) == _titles(by_due)


@pytest.mark.parametrize("sort", ["created", "due", "priority"])
def test_filters_combine_with_any_sort(api: Api, seeded: Any, sort: str) -> None:
    project, tasks = seeded

    def expect(keep: Any) -> list[str]:
        return sorted(t["title"] for t in tasks if keep(t))

    def got(**query: Any) -> list[str]:
        return sorted(_titles(_all(api, project, sort=sort, limit=3, **query)))

    assert got(status="done") == expect(lambda t: t["status"] == "done")
    assert got(priority="urgent") == expect(lambda t: t["priority"] == "urgent")
    assert got(label="SHARED") == expect(lambda t: "shared" in t["labels"])
    window = {"due_after": "2026-12-03T09:00:00Z", "due_before": "2026-12-08T09:00:00+00:00"}
    in_window = expect(lambda t: t["due_at"] and "2026-12-03T09" <= t["due_at"] < "2026-12-08T09")
    assert got(**window) == in_window
    assert got(due_after="2026-12-10T00:00:00Z") == expect(
        lambda t: (t["due_at"] or "") >= "2026-12-10"
    )
    assert got(due_before="2026-12-02T10:00:00+01:00") == expect(
        lambda t: t["due_at"] is not None and t["due_at"] < "2026-12-02T09"
    )
    assert got(status="todo", label="even") == expect(
        lambda t: t["status"] == "todo" and "even" in t["labels"]
    )


def test_a_short_filtered_page_still_continues(api: Api, seeded: Any) -> None:
    """Reading limit + 1 items may match fewer than limit: the cursor says more follow."""
    project, tasks = seeded
    first = api.get(f"/projects/{project}/tasks", query={"status": "done", "limit": 2})
    done_in_first_three = [t for t in tasks[:3] if t["status"] == "done"]
    assert _titles(first.body["items"]) == _titles(done_in_first_three)
    assert len(first.body["items"]) < 2
    assert first.body["next_cursor"] is not None


def test_cursor_is_tamper_evident_and_bound_to_its_query(api: Api, seeded: Any) -> None:
    project, _ = seeded
    cursor = api.get(f"/projects/{project}/tasks", query={"limit": 2}).body["next_cursor"]
    payload, signature = cursor.split(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    for bad in (tampered, cursor + "x", "garbage", "a.b", "abc.\u00e9", payload + ".\u00e9"):
        reply = api.get(f"/projects/{project}/tasks", query={"limit": 2, "cursor": bad})
        assert reply.status == 400, bad
        assert reply.error_code == "bad_request"
    other_query = api.get(
        f"/projects/{project}/tasks", query={"limit": 2, "sort": "due", "cursor": cursor}
    )
    assert other_query.status == 400
    other_project = api.get("/projects/inbox/tasks", query={"limit": 2, "cursor": cursor})
    assert other_project.status == 400


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"status": "blocked"},
        {"sort": "title"},
        {"order": "up"},
        {"due_before": "2026-12-01T10:00:00"},
        {"due_before": "tomorrow"},
        {"due_before": "1700000000"},
        {"due_after": "2026-12-05T00:00:00Z", "due_before": "2026-12-01T00:00:00Z"},
    ],
)
def test_bad_list_queries_are_422(api: Api, query: dict[str, Any]) -> None:
    reply = api.get("/projects/inbox/tasks", query=query)
    assert reply.status == 422, reply
    assert reply.body["error"]["details"]
