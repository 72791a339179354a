"""Listing tasks over HTTP: pagination, every filter, every sort in both directions.

One project of nine tasks, some changed after creation (so the sort indexes must follow), is
listed in small pages. Expected orders are computed here from what was sent, per
docs/api.md: ties break by creation order, undated tasks come last in ascending ``due`` order,
``desc`` is the exact reverse, ``due_after`` is inclusive and ``due_before`` exclusive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from .support import User, collect, error_code

pytestmark = pytest.mark.e2e

RANK = {"low": 0, "medium": 1, "high": 2, "urgent": 3}
SORTS = ["created", "due", "priority"]


@dataclass
class Row:
    """What a task should be, as this test sent it."""

    seq: int
    title: str
    status: str
    priority: str
    due: datetime | None
    labels: set[str]
    id: str = field(default="")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 6, day, hour, minute, tzinfo=UTC)


#: title, status, priority, due_at as sent (various offsets), labels as sent, labels stored.
SPECS: list[tuple[str, str, str, str | None, list[str], set[str]]] = [
    ("t0", "todo", "low", "2030-06-03T09:00:00+02:00", ["Home"], {"home"}),
    ("t1", "done", "urgent", None, ["Work", "Errand"], {"work", "errand"}),
    ("t2", "in_progress", "high", "2030-06-01T23:30:00-02:00", ["work"], {"work"}),
    ("t3", "todo", "medium", "2030-06-02T01:30:00Z", [], set()),
    ("t4", "todo", "high", "2030-06-05T00:00:00Z", ["Errand"], {"errand"}),
    ("t5", "done", "low", None, [], set()),
    (
        "t6",
        "in_progress",
        "urgent",
        "2030-06-02T12:00:00+00:00",
        ["Home", " WORK "],
        {"home", "work"},
    ),
    ("t7", "todo", "medium", "2030-06-01T12:00:00Z", ["\uff37\uff2f\uff32\uff2b  "], {"work"}),
    ("t8", "done", "high", "2030-06-04T00:00:00+05:30", ["errand"], {"errand"}),
]
#: Changes after creation: title -> patch. t5 ties t6 on due, t0 joins the urgent ones.
PATCHES: dict[str, dict[str, Any]] = {
    "t5": {"due_at": "2030-06-02T14:00:00+02:00"},
    "t0": {"priority": "urgent"},
    "t7": {"due_at": None},
    "t3": {"status": "done"},
}


@dataclass
class Board:
    project_id: str
    rows: list[Row]

    @property
    def path(self) -> str:
        return f"/projects/{self.project_id}/tasks"


@pytest.fixture(scope="module")
def board(alice: User) -> Iterator[Board]:
    created = alice.http.post("/projects", json={"name": "listing"})
    assert created.status_code == 201
    project_id = created.json()["id"]
    rows: dict[str, Row] = {}
    for seq, (title, status, priority, due, labels, stored) in enumerate(SPECS):
        body = {"title": title, "status": status, "priority": priority, "labels": labels}
        if due is not None:
            body["due_at"] = due
        response = alice.http.post(f"/projects/{project_id}/tasks", json=body)
        assert response.status_code == 201, response.text
        rows[title] = Row(
            seq, title, status, priority, _utc(due) if due else None, stored, response.json()["id"]
        )
    for title, patch in PATCHES.items():
        row = rows[title]
        response = alice.http.patch(f"/tasks/{row.id}", json=patch, headers={"If-Match": '"1"'})
        assert response.status_code == 204, response.text
        if "due_at" in patch:
            row.due = _utc(patch["due_at"]) if patch["due_at"] else None
        row.priority = patch.get("priority", row.priority)
        row.status = patch.get("status", row.status)
    yield Board(project_id, list(rows.values()))
    alice.http.delete(f"/projects/{project_id}", params={"force": "true"})


def expected(
    rows: list[Row], sort: str, order: str, keep: Callable[[Row], bool] = lambda r: True
) -> list[str]:
    """Titles in the order docs/api.md promises."""
    key: Callable[[Row], Any]
    if sort == "created":
        key = lambda r: r.seq  # noqa: E731
    elif sort == "due":
        key = lambda r: (r.due is None, r.due or at(1, 0), r.seq)  # noqa: E731
    else:
        key = lambda r: (RANK[r.priority], r.seq)  # noqa: E731
    ordered = sorted((r for r in rows if keep(r)), key=key)
    return [r.title for r in (reversed(ordered) if order == "desc" else ordered)]


def titles(pages: list[list[dict[str, Any]]]) -> list[str]:
    return [task["title"] for page in pages for task in page]


def test_the_board_reads_back_as_this_test_expects(alice: User, board: Board) -> None:
    # The expectations below are only as good as this model of the board.
    for row in board.rows:
        task = alice.http.get(f"/tasks/{row.id}").json()
        due = row.due.strftime("%Y-%m-%dT%H:%M:%S.000Z") if row.due else None
        assert (task["status"], task["priority"], task["due_at"]) == (row.status, row.priority, due)
        assert set(task["labels"]) == row.labels
        assert task["version"] == (2 if row.title in PATCHES else 1)


@pytest.mark.parametrize(("limit", "sizes"), [(2, [2, 2, 2, 2, 1]), (3, [3, 3, 3]), (4, [4, 4, 1])])
def test_pages_cover_every_task_once(
    alice: User, board: Board, limit: int, sizes: list[int]
) -> None:
    pages = collect(alice.http, board.path, {"limit": limit})

    assert [len(page) for page in pages] == sizes
    assert titles(pages) == expected(board.rows, "created", "asc")


def test_one_page_holds_everything_by_default(alice: User, board: Board) -> None:
    body = alice.http.get(board.path).json()

    assert [t["title"] for t in body["items"]] == expected(board.rows, "created", "asc")
    assert body.get("next_cursor") is None


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_in_both_directions(alice: User, board: Board, sort: str, order: str) -> None:
    pages = collect(alice.http, board.path, {"sort": sort, "order": order, "limit": 4})

    assert len(pages) == 3
    assert titles(pages) == expected(board.rows, sort, order)


def test_the_sorts_are_what_the_contract_says(board: Board) -> None:
    # The expected orders spelled out once, so a wrong model cannot pass silently.
    assert expected(board.rows, "due", "asc") == [
        "t2", "t3", "t5", "t6", "t0", "t8", "t4", "t1", "t7"
    ]  # fmt: skip
    assert expected(board.rows, "priority", "asc") == [
        "t5", "t3", "t7", "t2", "t4", "t8", "t0", "t1", "t6"
    ]  # fmt: skip
    assert expected(board.rows, "due", "desc")[:2] == ["t7", "t1"]


#: Query parameters and, independently, which rows they select.
FILTERS: dict[str, tuple[dict[str, str], Callable[[Row], bool]]] = {
    "status-done": ({"status": "done"}, lambda r: r.status == "done"),
    "status-in-progress": ({"status": "in_progress"}, lambda r: r.status == "in_progress"),
    "status-todo": ({"status": "todo"}, lambda r: r.status == "todo"),
    "priority-urgent": ({"priority": "urgent"}, lambda r: r.priority == "urgent"),
    "priority-low": ({"priority": "low"}, lambda r: r.priority == "low"),
    "label-normalised": ({"label": "  WORK "}, lambda r: "work" in r.labels),
    "label-nfkc": ({"label": "\uff28\uff2f\uff2d\uff25"}, lambda r: "home" in r.labels),
    "label-none": ({"label": "nothing"}, lambda r: False),
    "due-before-exclusive": (
        {"due_before": "2030-06-02T12:00:00Z"},
        lambda r: r.due is not None and r.due < at(2, 12),
    ),
    "due-after-inclusive": (
        {"due_after": "2030-06-02T14:00:00+02:00"},
        lambda r: r.due is not None and r.due >= at(2, 12),
    ),
    "due-range": (
        {"due_after": "2030-06-02T03:30:00+02:00", "due_before": "2030-06-03T18:30:00Z"},
        lambda r: r.due is not None and at(2, 1, 30) <= r.due < at(3, 18, 30),
    ),
    "status-and-label": (
        {"status": "todo", "label": "home"},
        lambda r: r.status == "todo" and "home" in r.labels,
    ),
    "everything": (
        {
            "status": "done",
            "priority": "high",
            "label": "errand",
            "due_after": "2030-06-01T00:00:00Z",
        },
        lambda r: (
            r.status == "done"
            and r.priority == "high"
            and "errand" in r.labels
            and r.due is not None
            and r.due >= at(1, 0)
        ),
    ),
}


@pytest.mark.parametrize(
    ("sort", "order"), [("created", "asc"), ("due", "desc"), ("priority", "asc")]
)
@pytest.mark.parametrize("case", list(FILTERS))
def test_every_filter_with_sorts(
    alice: User, board: Board, case: str, sort: str, order: str
) -> None:
    params, keep = FILTERS[case]

    pages = collect(alice.http, board.path, params | {"sort": sort, "order": order, "limit": 2})

    assert all(len(page) <= 2 for page in pages)
    assert titles(pages) == expected(board.rows, sort, order, keep)


def test_a_cursor_only_continues_its_own_query(alice: User, board: Board) -> None:
    first = alice.http.get(board.path, params={"sort": "due", "limit": 2}).json()
    cursor = first["next_cursor"]
    assert cursor

    attempts = [
        alice.http.get(board.path, params={"sort": "priority", "limit": 2, "cursor": cursor}),
        alice.http.get(board.path, params={"sort": "due", "status": "done", "cursor": cursor}),
        alice.http.get("/projects/inbox/tasks", params={"sort": "due", "cursor": cursor}),
        alice.http.get(board.path, params={"sort": "due", "cursor": cursor[:-2] + "AA"}),
        alice.http.get(board.path, params={"sort": "due", "cursor": "garbage"}),
    ]

    for response in attempts:
        assert (response.status_code, error_code(response)) == (400, "bad_request")
    # The same query with another limit is the same query.
    rest = alice.http.get(board.path, params={"sort": "due", "limit": 50, "cursor": cursor})
    assert [t["title"] for t in first["items"] + rest.json()["items"]] == expected(
        board.rows, "due", "asc"
    )


def test_next_cursor_is_null_on_the_last_page(alice: User, board: Board) -> None:
    tasks = alice.http.get(board.path).json()
    projects = alice.http.get("/projects", params={"limit": 100}).json()

    assert tasks["next_cursor"] is None
    assert projects["next_cursor"] is None
