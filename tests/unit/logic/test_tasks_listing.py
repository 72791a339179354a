"""Listing tasks: every filter, every sort in both directions, pagination and cursors.

Expected results come from a plain-Python oracle over the created tasks, written from the
documented rules (not from the key design), and are compared with what all pages return.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tasklane.domain.errors import BadRequest, NotFound, ValidationFailed
from tasklane.domain.ids import inbox_project_id
from tasklane.domain.models import (
    Priority,
    ProjectCreate,
    SortKey,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
)
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService

ALICE, BOB = "user-alice", "user-bob"
DAY0 = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
PRIORITY_ORDER = ["low", "medium", "high", "urgent"]
#: The board's columns, in order.
STATUS_ORDER = ["todo", "in_progress", "done"]

#: (status, priority, days from DAY0 until due or None, labels). Ties on purpose: two tasks
#: are due at +1 day and two at +3 days; +1 and +5 sit exactly on the filter bounds below.
SPECS: list[tuple[str, str, int | None, list[str]]] = [
    ("todo", "low", 1, ["bug"]),
    ("done", "urgent", None, ["bug", "ui"]),
    ("in_progress", "high", 3, []),
    ("todo", "medium", 1, ["UI"]),
    ("done", "low", 5, ["bug"]),
    ("todo", "high", None, []),
    ("in_progress", "urgent", 2, ["Bug"]),
    ("todo", "medium", 10, ["docs"]),
    ("done", "medium", 3, ["ui"]),
    ("todo", "urgent", -1, ["bug"]),
    ("todo", "low", None, ["docs"]),
    ("in_progress", "high", 7, ["bug", "docs"]),
    ("todo", "medium", 4, []),
]

FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "status": {"status": Status.todo},
    "priority": {"priority": Priority.urgent},
    "label": {"label": "bug"},
    "due_after": {"due_after": DAY0 + timedelta(days=3)},
    "due_before": {"due_before": DAY0 + timedelta(days=5)},
    "due_window": {"due_after": DAY0 + timedelta(days=1), "due_before": DAY0 + timedelta(days=5)},
    "status_and_label": {"status": Status.todo, "label": "bug"},
    "all": {
        "status": Status.todo,
        "priority": Priority.low,
        "label": "bug",
        "due_after": DAY0,
        "due_before": DAY0 + timedelta(days=2),
    },
    "nothing_matches": {"label": "no-such-label"},
}


@pytest.fixture
def project_id(projects: ProjectService) -> str:
    return projects.create(ALICE, ProjectCreate(name="Listing")).id


@pytest.fixture
def created(tasks: TaskService, project_id: str) -> list[Task]:
    return [
        tasks.create(
            ALICE,
            project_id,
            TaskCreate(
                title=f"task {n}",
                status=Status(status),
                priority=Priority(priority),
                due_at=None if days is None else DAY0 + timedelta(days=days),
                labels=labels,
            ),
        )
        for n, (status, priority, days, labels) in enumerate(SPECS)
    ]


def _due(task: Task) -> datetime | None:
    return datetime.fromisoformat(task.due_at) if task.due_at else None


def expected(tasks: Sequence[Task], query: TaskQuery) -> list[str]:
    """The ids ``query`` should list, in order, by the documented rules."""

    def matches(task: Task) -> bool:
        due = _due(task)
        return (
            (query.status is None or task.status == query.status)
            and (query.priority is None or task.priority == query.priority)
            and (query.label is None or query.label in task.labels)
            and (query.due_after is None or (due is not None and due >= query.due_after))
            and (query.due_before is None or (due is not None and due < query.due_before))
        )

    def order(task: Task) -> tuple[Any, ...]:
        if query.sort is SortKey.due:
            due = _due(task)
            return (due is None, due or DAY0, task.id)  # undated last when ascending
        if query.sort is SortKey.priority:
            return (PRIORITY_ORDER.index(task.priority.value), task.id)
        if query.sort is SortKey.position:
            return (STATUS_ORDER.index(task.status.value), task.position, task.id)
        return (task.id,)

    ordered = sorted((t for t in tasks if matches(t)), key=order)
    return [t.id for t in (reversed(ordered) if query.order == "desc" else ordered)]


def list_all(
    tasks: TaskService, user: str, project_id: str, query: TaskQuery, cursor: str | None = None
) -> tuple[list[Task], list[int]]:
    """Every page of ``query`` from ``cursor`` on: the tasks in order and each page's size."""
    found: list[Task] = []
    sizes: list[int] = []
    while True:
        listing = tasks.list(user, project_id, query, cursor)
        found += listing.items
        sizes.append(len(listing.items))
        cursor = listing.next_cursor
        if cursor is None:
            return found, sizes
        assert len(sizes) <= len(SPECS) + 2, "the listing does not end"


# Filters x sorts x orders -----------------------------------------------------------------
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("filters", list(FILTERS))
def test_every_filter_sort_and_order(
    tasks: TaskService,
    project_id: str,
    created: list[Task],
    filters: str,
    sort: SortKey,
    order: str,
) -> None:
    query = TaskQuery(sort=sort, order=order, limit=3, **FILTERS[filters])
    found, sizes = list_all(tasks, ALICE, project_id, query)
    assert [t.id for t in found] == expected(created, query)
    assert all(size <= 3 for size in sizes)
    # A whole list in one page agrees with the paged one.
    one_page = tasks.list(ALICE, project_id, query.model_copy(update={"limit": 100}), None)
    assert [t.id for t in one_page.items] == [t.id for t in found]
    assert one_page.next_cursor is None


def test_oracle_is_not_trivial(created: list[Task]) -> None:
    """Guards the table above: each filter keeps some tasks and drops others."""
    everything = len(created)
    for name, filters in FILTERS.items():
        kept = len(expected(created, TaskQuery(**filters)))
        if name == "none":
            assert kept == everything
        elif name == "nothing_matches":
            assert kept == 0
        else:
            assert 0 < kept < everything, name


def test_due_sort_puts_undated_last_and_breaks_ties_by_id(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    ascending = tasks.list(ALICE, project_id, TaskQuery(sort=SortKey.due, limit=100), None)
    dues = [t.due_at for t in ascending.items]
    undated = sum(1 for spec in SPECS if spec[2] is None)
    assert dues[-undated:] == [None] * undated
    assert None not in dues[:-undated]
    same_day = [t.id for t in ascending.items if t.due_at == created[0].due_at]
    assert same_day == sorted([created[0].id, created[3].id])
    descending = tasks.list(
        ALICE, project_id, TaskQuery(sort=SortKey.due, order="desc", limit=100), None
    )
    assert [t.id for t in descending.items] == [t.id for t in reversed(ascending.items)]


def test_due_bounds_are_inclusive_after_exclusive_before(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    bound = DAY0 + timedelta(days=1)
    on_bound = {created[0].id, created[3].id}
    for sort in SortKey:
        after = tasks.list(ALICE, project_id, TaskQuery(sort=sort, due_after=bound), None)
        before = tasks.list(ALICE, project_id, TaskQuery(sort=sort, due_before=bound), None)
        assert on_bound <= {t.id for t in after.items}
        assert not on_bound & {t.id for t in before.items}
        assert [t.id for t in before.items] == [created[9].id]  # only the overdue one


def test_list_reflects_updates(tasks: TaskService, project_id: str, created: list[Task]) -> None:
    first = created[0]
    tasks.update(
        ALICE,
        first.id,
        TaskPatch.model_validate({"priority": "urgent", "due_at": None, "labels": ["x"]}),
        None,
    )
    current = [tasks.get(ALICE, t.id) for t in created]
    for sort in SortKey:
        for filters in ({}, {"priority": Priority.urgent}, {"label": "x"}, {"due_after": DAY0}):
            query = TaskQuery(sort=sort, limit=4, **filters)
            found, _ = list_all(tasks, ALICE, project_id, query)
            assert [t.id for t in found] == expected(current, query), (sort, filters)


# Pagination -------------------------------------------------------------------------------
@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_pages_have_no_duplicates_or_gaps(
    tasks: TaskService, project_id: str, created: list[Task], sort: SortKey, order: str
) -> None:
    query = TaskQuery(sort=sort, order=order, limit=4)
    found, sizes = list_all(tasks, ALICE, project_id, query)
    ids = [t.id for t in found]
    assert len(sizes) >= 3
    assert sizes[:3] == [4, 4, 4]
    assert len(ids) == len(set(ids)) == len(created)
    assert ids == expected(created, query)


def test_a_filtered_page_may_be_short_while_more_follow(
    tasks: TaskService, project_id: str
) -> None:
    made = [tasks.create(ALICE, project_id, TaskCreate(title=f"t{n}")) for n in range(6)]
    last = max(made, key=lambda t: t.id)  # last in created order
    tasks.update(ALICE, last.id, TaskPatch(status=Status.done), None)
    query = TaskQuery(status=Status.done, limit=2)
    first = tasks.list(ALICE, project_id, query, None)
    assert first.items == []
    assert first.next_cursor is not None
    found, _ = list_all(tasks, ALICE, project_id, query)
    assert [t.id for t in found] == [last.id]


def test_changing_the_limit_between_pages_is_allowed(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    first = tasks.list(ALICE, project_id, TaskQuery(limit=2), None)
    rest = tasks.list(ALICE, project_id, TaskQuery(limit=100), first.next_cursor)
    ids = [t.id for t in [*first.items, *rest.items]]
    assert ids == sorted(t.id for t in created)


def test_a_cursor_survives_writes_between_pages(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    query = TaskQuery(limit=5)
    first = tasks.list(ALICE, project_id, query, None)
    assert first.next_cursor is not None
    # The item the cursor points at disappears, and a task is added meanwhile.
    tasks.delete(ALICE, first.items[-1].id, None)
    added = tasks.create(ALICE, project_id, TaskCreate(title="late"))
    rest, _ = list_all(tasks, ALICE, project_id, query, first.next_cursor)
    ids = [t.id for t in [*first.items, *rest]]
    assert len(ids) == len(set(ids))
    assert set(ids) - {added.id} == {t.id for t in created}
    assert ids == sorted(ids)


# Cursors and validation -------------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.todo},
        {"priority": Priority.high},
        {"label": "bug"},
        {"due_after": DAY0},
        {"due_before": DAY0},
        {"sort": SortKey.due},
        {"order": "desc"},
    ],
)
def test_cursor_reused_with_another_query_is_refused(
    tasks: TaskService, project_id: str, created: list[Task], change: dict[str, Any]
) -> None:
    query = TaskQuery(limit=2)
    cursor = tasks.list(ALICE, project_id, query, None).next_cursor
    assert cursor is not None
    with pytest.raises(BadRequest):
        tasks.list(ALICE, project_id, query.model_copy(update=change), cursor)


def test_cursor_reused_on_another_project_or_by_another_user_is_refused(
    tasks: TaskService, projects: ProjectService, project_id: str, created: list[Task]
) -> None:
    other = projects.create(ALICE, ProjectCreate(name="Other")).id
    tasks.create(ALICE, other, TaskCreate(title="there"))
    cursor = tasks.list(ALICE, project_id, TaskQuery(limit=2), None).next_cursor
    assert cursor is not None
    with pytest.raises(BadRequest):
        tasks.list(ALICE, other, TaskQuery(limit=2), cursor)
    with pytest.raises(BadRequest):
        tasks.list(BOB, "inbox", TaskQuery(limit=2), cursor)


def test_tampered_cursor_is_refused(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    cursor = tasks.list(ALICE, project_id, TaskQuery(limit=2), None).next_cursor
    assert cursor is not None
    with pytest.raises(BadRequest):
        tasks.list(ALICE, project_id, TaskQuery(limit=2), cursor[:-2] + "AA")


@pytest.mark.parametrize("gap", [timedelta(0), timedelta(seconds=-1)])
def test_due_after_must_be_before_due_before(
    tasks: TaskService, project_id: str, gap: timedelta
) -> None:
    query = TaskQuery(due_after=DAY0, due_before=DAY0 + gap)
    with pytest.raises(ValidationFailed) as exc:
        tasks.list(ALICE, project_id, query, None)
    assert exc.value.details[0]["loc"] == ["query", "due_after"]


@pytest.mark.parametrize("label", ["BUG", "  bug ", "Bug", "\uff42\uff55\uff47"])
def test_label_filter_is_normalised(
    tasks: TaskService, project_id: str, created: list[Task], label: str
) -> None:
    found, _ = list_all(tasks, ALICE, project_id, TaskQuery(label=label, limit=2))
    assert [t.id for t in found] == expected(created, TaskQuery(label="bug"))


def test_label_cursor_survives_normalisation(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    cursor = tasks.list(ALICE, project_id, TaskQuery(label="Bug", limit=2), None).next_cursor
    assert cursor is not None
    rest = tasks.list(ALICE, project_id, TaskQuery(label="bug", limit=100), cursor)
    assert [t.id for t in rest.items] == expected(created, TaskQuery(label="bug"))[2:]


# Access -----------------------------------------------------------------------------------
def test_another_users_project_is_not_found(
    tasks: TaskService, project_id: str, created: list[Task]
) -> None:
    with pytest.raises(NotFound):
        tasks.list(BOB, project_id, TaskQuery(), None)


@pytest.mark.parametrize("project_id", ["nonsense", "01jq3v6b8k2m4n5p7r9s0t1w3x"])
def test_unknown_project_is_not_found(tasks: TaskService, project_id: str) -> None:
    with pytest.raises(NotFound):
        tasks.list(ALICE, project_id, TaskQuery(), None)


def test_listing_the_inbox_before_it_exists(tasks: TaskService, projects: ProjectService) -> None:
    listing = tasks.list(ALICE, "inbox", TaskQuery(), None)
    assert list(listing.items) == []
    assert listing.next_cursor is None
    assert projects.get(ALICE, inbox_project_id(ALICE)).is_inbox
