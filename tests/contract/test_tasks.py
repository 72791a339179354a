"""The ``TaskStore`` contract (tasklane.domain.ports.tasks), on every implementation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tasklane.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from tasklane.domain.models import Priority, Role, SortKey, Status, Task, TaskQuery, format_time
from tasklane.domain.ports.tasks import TaskStore
from tasklane.logic.access import OWNERS, TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Shared, project, task


def due(days: float) -> str:
    return format_time(datetime(2025, 6, 1, 12, 0, tzinfo=UTC) + timedelta(days=days))


def test_created_tasks_are_read_by_members_only(shared: Shared) -> None:
    tasks, project_id = shared.backend.tasks(), shared.project.id
    made = task(project_id, labels=["a", "b"], due_at=due(1), priority="high")
    tasks.create_task(made, BOB, TASK_WRITERS)
    assert tasks.get_task(made.id, ALICE) == made
    assert tasks.get_task(made.id, CAROL) == made
    assert tasks.get_task(made.id, "user-stranger") is None
    assert tasks.get_task("not-a-task-id", ALICE) is None
    with pytest.raises(Conflict):
        tasks.create_task(made, ALICE, TASK_WRITERS)


def test_who_may_create_and_whom_a_task_may_be_assigned(shared: Shared) -> None:
    tasks, project_id = shared.backend.tasks(), shared.project.id
    with pytest.raises(Forbidden):
        tasks.create_task(task(project_id), CAROL, TASK_WRITERS)
    with pytest.raises(NotFound):
        tasks.create_task(task(project_id), "user-stranger", TASK_WRITERS)
    with pytest.raises(NotFound):
        tasks.create_task(task(project("user-x").id), ALICE, TASK_WRITERS)  # no such project
    with pytest.raises(ValidationFailed):
        tasks.create_task(task(project_id, assignee_id="user-stranger"), ALICE, TASK_WRITERS)
    assigned = task(project_id, assignee_id=CAROL)
    tasks.create_task(assigned, ALICE, TASK_WRITERS)
    mine = task(project_id, assignee_id=BOB)
    tasks.create_task(mine, BOB, TASK_WRITERS)
    assert tasks.get_task(assigned.id, ALICE) == assigned


def _update(tasks: TaskStore, task_id: str, version: int | None, **changes: Any) -> None:
    tasks.update_task(task_id, ALICE, TASK_WRITERS, changes, version, T0 + timedelta(hours=1))


def test_updates_apply_bump_the_version_and_track_completion(shared: Shared) -> None:
    tasks = shared.backend.tasks()
    made = task(shared.project.id, due_at=due(0))
    tasks.create_task(made, ALICE, TASK_WRITERS)
    _update(tasks, made.id, 1, title="Renamed", status="done", due_at=None)
    done = tasks.get_task(made.id, BOB)
    assert done is not None
    later = format_time(T0 + timedelta(hours=1))
    assert (done.title, done.status, done.due_at, done.version) == (
        "Renamed",
        Status.done,
        None,
        2,
    )
    assert (done.updated_at, done.completed_at, done.updated_by) == (later, later, ALICE)
    tasks.update_task(made.id, BOB, TASK_WRITERS, {"status": "done"}, None, T0 + timedelta(days=1))
    again = tasks.get_task(made.id, ALICE)
    assert again is not None
    assert again.completed_at == later  # done again: the first completion stands
    assert again.updated_by == BOB
    _update(tasks, made.id, 3, status="in_progress", priority="low", labels=["x"])
    reopened = tasks.get_task(made.id, ALICE)
    assert reopened is not None
    assert (reopened.status, reopened.completed_at, reopened.priority) == (
        Status.in_progress,
        None,
        Priority.low,
    )
    assert (reopened.labels, reopened.version) == (["x"], 4)


def test_refused_updates_and_deletes_say_why(shared: Shared) -> None:
    tasks, project_id = shared.backend.tasks(), shared.project.id
    made = task(project_id)
    tasks.create_task(made, ALICE, TASK_WRITERS)
    with pytest.raises(PreconditionFailed):
        _update(tasks, made.id, 5, title="x")
    with pytest.raises(Forbidden):
        tasks.update_task(made.id, CAROL, TASK_WRITERS, {"title": "x"}, None, T0)
    with pytest.raises(NotFound):
        tasks.update_task(made.id, "user-stranger", TASK_WRITERS, {"title": "x"}, None, T0)
    with pytest.raises(NotFound):
        _update(tasks, task(project_id).id, None, title="x")
    with pytest.raises(ValidationFailed):
        _update(tasks, made.id, None, assignee_id="user-stranger")
    with pytest.raises(PreconditionFailed):
        tasks.delete_task(made.id, ALICE, TASK_WRITERS, 9)
    with pytest.raises(Forbidden):
        tasks.delete_task(made.id, CAROL, TASK_WRITERS, None)
    assert tasks.get_task(made.id, ALICE) == made
    tasks.delete_task(made.id, BOB, TASK_WRITERS, 1)
    assert tasks.get_task(made.id, ALICE) is None
    with pytest.raises(NotFound):
        tasks.delete_task(made.id, ALICE, TASK_WRITERS, None)


@pytest.fixture
def listed(shared: Shared) -> list[Task]:
    """Six tasks of varied due dates, priorities, statuses and labels, oldest first."""
    tasks = shared.backend.tasks()
    specs: list[dict[str, Any]] = [
        {"due_at": due(3), "priority": "low", "labels": ["home"]},
        {"due_at": None, "priority": "urgent", "status": "done"},
        {"due_at": due(1), "priority": "high", "labels": ["work", "home"]},
        {"due_at": due(2), "priority": "medium", "status": "done", "labels": ["work"]},
        {"due_at": None, "priority": "low"},
        {"due_at": due(1), "priority": "urgent", "labels": ["work"]},
    ]
    made = []
    for n, spec in enumerate(specs):
        made.append(task(shared.project.id, f"t{n}", **spec))
        tasks.create_task(made[-1], ALICE, TASK_WRITERS)
    return made


def _all(tasks: TaskStore, project_id: str, query: TaskQuery) -> list[str]:
    seen: list[str] = []
    start = None
    for _ in range(20):
        page = tasks.list_tasks(project_id, CAROL, query, start)
        assert len(page.items) <= query.limit
        seen += [t.title for t in page.items]
        start = page.next_key
        if start is None:
            return seen
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("limit", [1, 2, 4, 10])
def test_sorts_and_filters_page_through_every_match_once(
    shared: Shared, listed: list[Task], limit: int
) -> None:
    tasks, pid = shared.backend.tasks(), shared.project.id
    assert _all(tasks, pid, TaskQuery(limit=limit)) == ["t0", "t1", "t2", "t3", "t4", "t5"]
    desc = TaskQuery(limit=limit, order="desc")
    assert _all(tasks, pid, desc) == ["t5", "t4", "t3", "t2", "t1", "t0"]
    by_due = TaskQuery(limit=limit, sort=SortKey.due)
    assert _all(tasks, pid, by_due) == ["t2", "t5", "t3", "t0", "t1", "t4"]  # undated last
    # Most urgent first; ties newest first (a descending sort runs the whole key backwards).
    by_priority = _all(tasks, pid, TaskQuery(limit=limit, sort=SortKey.priority, order="desc"))
    assert by_priority == ["t5", "t1", "t2", "t3", "t4", "t0"]
    assert _all(tasks, pid, TaskQuery(limit=limit, status=Status.done)) == ["t1", "t3"]
    work = _all(tasks, pid, TaskQuery(limit=limit, label="work", sort=SortKey.due))
    assert work == ["t2", "t5", "t3"]
    assert _all(tasks, pid, TaskQuery(limit=limit, priority=Priority.low)) == ["t0", "t4"]


def test_due_windows_include_the_start_and_exclude_the_end(
    shared: Shared, listed: list[Task]
) -> None:
    tasks, pid = shared.backend.tasks(), shared.project.id
    after = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    before = datetime(2025, 6, 4, 12, 0, tzinfo=UTC)
    for sort in SortKey:
        query = TaskQuery(limit=10, sort=sort, due_after=after, due_before=before)
        assert sorted(_all(tasks, pid, query)) == ["t2", "t3", "t5"]  # not t0, due at the end


def test_strangers_cannot_list(shared: Shared) -> None:
    with pytest.raises(NotFound):
        shared.backend.tasks().list_tasks(shared.project.id, "user-x", TaskQuery(), None)


def test_assigned_tasks_across_projects_due_soonest_first(shared: Shared) -> None:
    backend = shared.backend
    tasks = backend.tasks()
    mine = project(BOB)
    backend.projects().create_project(mine)
    made = [
        task(shared.project.id, "later", assignee_id=BOB, due_at=due(5)),
        task(mine.id, "undated", by=BOB, assignee_id=BOB),
        task(shared.project.id, "soon", assignee_id=BOB, due_at=due(1)),
        task(shared.project.id, "not mine", assignee_id=CAROL, due_at=due(0)),
        task(mine.id, "unassigned", by=BOB, due_at=due(0)),
    ]
    for t in made:
        tasks.create_task(t, t.created_by, TASK_WRITERS)
    seen, start = [], None
    for _ in range(5):
        page = tasks.list_assigned(BOB, 1, start)
        seen += [t.title for t in page.items]
        start = page.next_key
        if start is None:
            break
    assert seen == ["soon", "later", "undated"]
    # Assigning an undated task puts it on the list; unassigning takes it off.
    tasks.update_task(made[4].id, BOB, TASK_WRITERS, {"assignee_id": BOB}, None, T0)
    tasks.update_task(made[2].id, ALICE, TASK_WRITERS, {"assignee_id": None}, None, T0)
    titles = [t.title for t in tasks.list_assigned(BOB, 10, None).items]
    assert titles == ["unassigned", "later", "undated"]


def test_clearing_a_removed_members_assignments(shared: Shared) -> None:
    backend, project_id = shared.backend, shared.project.id
    tasks = backend.tasks()
    for n in range(3):
        tasks.create_task(task(project_id, f"t{n}", assignee_id=BOB), ALICE, TASK_WRITERS)
    tasks.create_task(task(project_id, "carol's", assignee_id=CAROL), ALICE, TASK_WRITERS)
    # A member still: their assignments stand.
    assert tasks.clear_assignments(project_id, BOB, T0) == 0
    backend.members().remove_member(project_id, BOB, ALICE, OWNERS)
    assert tasks.clear_assignments(project_id, BOB, T0) == 3
    assert tasks.clear_assignments(project_id, BOB, T0) == 0  # a replay
    assert tasks.list_assigned(BOB, 10, None).items == []
    assert [t.title for t in tasks.list_assigned(CAROL, 10, None).items] == ["carol's"]
    unassigned = tasks.list_tasks(project_id, ALICE, TaskQuery(limit=10), None).items
    assert {t.title: t.version for t in unassigned if t.assignee_id is None} == {
        "t0": 2,
        "t1": 2,
        "t2": 2,
    }


def test_a_member_again_or_a_deleted_project_keeps_the_assignments(shared: Shared) -> None:
    backend, project_id = shared.backend, shared.project.id
    tasks = backend.tasks()
    tasks.create_task(task(project_id, assignee_id=CAROL), ALICE, TASK_WRITERS)
    backend.members().remove_member(project_id, CAROL, ALICE, OWNERS)
    backend.share(project_id, CAROL, Role.viewer)  # added again before the consumer ran
    assert tasks.clear_assignments(project_id, CAROL, T0) == 0
    backend.members().remove_member(project_id, CAROL, ALICE, OWNERS)
    backend.projects().delete_project(project_id, ALICE, OWNERS, None, T0)
    assert tasks.clear_assignments(project_id, CAROL, T0) == 0  # left to the purge
    # Still assigned (the purge removes the task), but not listed: not a member.
    assert tasks.list_assigned(CAROL, 10, None).items == []


def test_a_removed_member_no_longer_lists_the_projects_assigned_tasks(shared: Shared) -> None:
    """Issue 14, finding 3: before the clean-up has run, the listing checks membership."""
    backend, project_id = shared.backend, shared.project.id
    tasks = backend.tasks()
    mine = project(BOB)
    backend.projects().create_project(mine)
    tasks.create_task(task(project_id, "theirs", assignee_id=BOB), ALICE, TASK_WRITERS)
    tasks.create_task(task(mine.id, "own", by=BOB, assignee_id=BOB), BOB, TASK_WRITERS)
    assert {t.title for t in tasks.list_assigned(BOB, 10, None).items} == {"theirs", "own"}
    backend.members().remove_member(project_id, BOB, ALICE, OWNERS)
    assert [t.title for t in tasks.list_assigned(BOB, 10, None).items] == ["own"]
