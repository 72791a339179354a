"""TaskService on the fakes of its ports: create, read, change and delete, with access rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed, ValidationFailed
from tasklane.domain.ids import inbox_project_id, new_task_id, split_task_id
from tasklane.domain.models import (
    Priority,
    ProjectCreate,
    Role,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    format_time,
)
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import T0, Clock, Fakes

ALICE, BOB = "user-alice", "user-bob"
ALL = TaskQuery(limit=100)


def _patch(**fields: Any) -> TaskPatch:
    return TaskPatch.model_validate(fields)


@pytest.fixture
def project_id(projects: ProjectService) -> str:
    return projects.create(ALICE, ProjectCreate(name="Work")).id


@pytest.fixture
def task(tasks: TaskService, project_id: str) -> Task:
    return tasks.create(ALICE, project_id, TaskCreate(title="Write tests"))


# Create -----------------------------------------------------------------------------------
def test_create_fills_in_the_server_fields(tasks: TaskService, project_id: str) -> None:
    data = TaskCreate(
        title=" Ship it ",
        description="soon",
        priority=Priority.high,
        due_at=datetime(2025, 6, 1, 14, 0, tzinfo=UTC),
        labels=["Release", "release", "Q2"],
    )
    created = tasks.create(ALICE, project_id, data)
    parts = split_task_id(created.id)
    assert parts is not None
    assert parts[0] == project_id
    assert created.project_id == project_id
    assert (created.title, created.description) == ("Ship it", "soon")
    assert (created.status, created.priority) == (Status.todo, Priority.high)
    assert created.due_at == "2025-06-01T14:00:00.000Z"
    assert created.labels == ["release", "q2"]
    assert created.created_at == created.updated_at == format_time(T0)
    assert created.completed_at is None
    assert (created.created_by, created.version) == (ALICE, 1)
    assert tasks.get(ALICE, created.id) == created


def test_create_done_task_is_completed_now(tasks: TaskService, project_id: str) -> None:
    created = tasks.create(ALICE, project_id, TaskCreate(title="Already", status=Status.done))
    assert created.completed_at == format_time(T0)
    assert tasks.get(ALICE, created.id).completed_at == format_time(T0)


def test_create_in_the_inbox_before_it_exists(tasks: TaskService, projects: ProjectService) -> None:
    created = tasks.create(ALICE, "inbox", TaskCreate(title="Remember"))
    assert created.project_id == inbox_project_id(ALICE)
    assert tasks.get(ALICE, created.id) == created
    listed = projects.list(ALICE, 50, None).items
    assert [(p.id, p.is_inbox) for p in listed] == [(inbox_project_id(ALICE), True)]


def test_create_in_an_existing_inbox(tasks: TaskService, projects: ProjectService) -> None:
    projects.ensure_inbox(ALICE)
    first = tasks.create(ALICE, "inbox", TaskCreate(title="one"))
    second = tasks.create(ALICE, inbox_project_id(ALICE), TaskCreate(title="two"))
    assert first.project_id == second.project_id == inbox_project_id(ALICE)


@pytest.mark.parametrize("target", ["alice-project", "alice-inbox", "unknown", "malformed"])
def test_create_outside_your_projects_is_not_found(
    tasks: TaskService, projects: ProjectService, project_id: str, target: str
) -> None:
    projects.ensure_inbox(ALICE)
    destination = {
        "alice-project": project_id,
        "alice-inbox": inbox_project_id(ALICE),
        "unknown": "01jq3v6b8k2m4n5p7r9s0t1w3x",
        "malformed": "Work",
    }[target]
    with pytest.raises(NotFound):
        tasks.create(BOB, destination, TaskCreate(title="intruder"))
    assert not tasks.list(ALICE, project_id, ALL, None).items


def test_viewer_reads_but_cannot_write(
    fakes: Fakes, tasks: TaskService, project_id: str, task: Task
) -> None:
    fakes.share(project_id, BOB, Role.viewer)
    assert tasks.get(BOB, task.id) == task
    assert [t.id for t in tasks.list(BOB, project_id, ALL, None).items] == [task.id]
    with pytest.raises(Forbidden):
        tasks.create(BOB, project_id, TaskCreate(title="no"))
    with pytest.raises(Forbidden):
        tasks.update(BOB, task.id, _patch(title="no"), None)
    with pytest.raises(Forbidden):
        tasks.delete(BOB, task.id, None)
    assert tasks.get(ALICE, task.id) == task


def test_editor_writes(fakes: Fakes, tasks: TaskService, project_id: str, task: Task) -> None:
    fakes.share(project_id, BOB, Role.editor)
    created = tasks.create(BOB, project_id, TaskCreate(title="by Bob"))
    assert created.created_by == BOB
    assert tasks.update(BOB, task.id, _patch(title="edited by Bob"), 1) == 2
    assert tasks.get(ALICE, task.id).title == "edited by Bob"
    tasks.delete(BOB, created.id, None)
    with pytest.raises(NotFound):
        tasks.get(ALICE, created.id)


# Read -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "task_id",
    [
        "",
        "nonsense",
        "01jq3v6b8k2m4n5p7r9s0t1w3x",
        "01jq3v6b8k2m4n5p7r9s0t1w3x-01jq3v6b8k2m4n5p7r9s0t1w3y",
    ],
)
def test_get_unknown_or_malformed_task_is_not_found(tasks: TaskService, task_id: str) -> None:
    with pytest.raises(NotFound):
        tasks.get(ALICE, task_id)


def test_get_missing_task_in_your_own_project_is_not_found(
    tasks: TaskService, project_id: str
) -> None:
    with pytest.raises(NotFound):
        tasks.get(ALICE, new_task_id(project_id))


def test_another_users_task_is_not_found(tasks: TaskService, task: Task) -> None:
    with pytest.raises(NotFound):
        tasks.get(BOB, task.id)
    with pytest.raises(NotFound):
        tasks.update(BOB, task.id, _patch(title="mine"), None)
    with pytest.raises(NotFound):
        tasks.update(BOB, task.id, _patch(title="mine"), 99)  # membership before version
    with pytest.raises(NotFound):
        tasks.delete(BOB, task.id, None)
    assert tasks.get(ALICE, task.id) == task


# Update -----------------------------------------------------------------------------------
def test_update_changes_fields_version_and_time(
    tasks: TaskService, task: Task, clock: Clock
) -> None:
    later = clock.advance(hours=2)
    patch = _patch(title=" Renamed ", description="more", priority="urgent", labels=["A", "b"])
    assert tasks.update(ALICE, task.id, patch, None) is None
    updated = tasks.get(ALICE, task.id)
    assert updated.model_dump() == task.model_dump() | {
        "title": "Renamed",
        "description": "more",
        "priority": Priority.urgent,
        "labels": ["a", "b"],
        "updated_at": format_time(later),
        "version": 2,
    }


def test_update_with_if_match(tasks: TaskService, task: Task) -> None:
    assert tasks.update(ALICE, task.id, _patch(title="v2"), 1) == 2
    with pytest.raises(PreconditionFailed):
        tasks.update(ALICE, task.id, _patch(title="lost update"), 1)
    assert tasks.get(ALICE, task.id).title == "v2"
    assert tasks.update(ALICE, task.id, _patch(title="v3"), 2) == 3
    assert tasks.update(ALICE, task.id, _patch(title="v4"), None) is None
    current = tasks.get(ALICE, task.id)
    assert (current.title, current.version) == ("v4", 4)


@pytest.mark.parametrize("expected_version", [None, 1])
def test_update_missing_task_is_not_found(
    tasks: TaskService, project_id: str, expected_version: int | None
) -> None:
    with pytest.raises(NotFound):
        tasks.update(ALICE, new_task_id(project_id), _patch(title="x"), expected_version)


@pytest.mark.parametrize("task_id", ["", "nonsense", "01jq3v6b8k2m4n5p7r9s0t1w3x"])
def test_update_and_delete_malformed_id_is_not_found(tasks: TaskService, task_id: str) -> None:
    with pytest.raises(NotFound):
        tasks.update(ALICE, task_id, _patch(title="x"), None)
    with pytest.raises(NotFound):
        tasks.delete(ALICE, task_id, None)


@pytest.mark.parametrize(
    "fields", [{}, {"title": None}, {"status": None}, {"labels": None}, {"priority": None}]
)
def test_update_without_valid_changes_is_refused(
    tasks: TaskService, task: Task, fields: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed):
        tasks.update(ALICE, task.id, _patch(**fields), None)
    assert tasks.get(ALICE, task.id) == task


def test_completed_at_follows_status(tasks: TaskService, task: Task, clock: Clock) -> None:
    done_at = format_time(clock.advance(minutes=10))
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    assert tasks.get(ALICE, task.id).completed_at == done_at

    # Completing it again, or changing something else, keeps the first completion time.
    clock.advance(minutes=10)
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    tasks.update(ALICE, task.id, _patch(title="still done"), None)
    current = tasks.get(ALICE, task.id)
    assert (current.status, current.completed_at) == (Status.done, done_at)

    # Reopening clears it; completing again stamps the new time.
    clock.advance(minutes=10)
    tasks.update(ALICE, task.id, _patch(status="in_progress"), None)
    assert tasks.get(ALICE, task.id).completed_at is None
    again = format_time(clock.advance(minutes=10))
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    assert tasks.get(ALICE, task.id).completed_at == again
    tasks.update(ALICE, task.id, _patch(status="todo"), None)
    assert tasks.get(ALICE, task.id).completed_at is None


def test_due_at_set_in_utc_kept_and_cleared(tasks: TaskService, task: Task) -> None:
    tasks.update(ALICE, task.id, _patch(due_at="2025-07-01T09:00:00+02:00"), None)
    assert tasks.get(ALICE, task.id).due_at == "2025-07-01T07:00:00.000Z"
    tasks.update(ALICE, task.id, _patch(title="unrelated"), None)
    assert tasks.get(ALICE, task.id).due_at == "2025-07-01T07:00:00.000Z"
    tasks.update(ALICE, task.id, _patch(due_at=None), None)
    cleared = tasks.get(ALICE, task.id)
    assert cleared.due_at is None
    assert cleared.version == 4


def test_due_at_without_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        _patch(due_at="2025-07-01T09:00:00")


# Delete -----------------------------------------------------------------------------------
def test_delete(tasks: TaskService, project_id: str, task: Task) -> None:
    other = tasks.create(ALICE, project_id, TaskCreate(title="stays"))
    tasks.delete(ALICE, task.id, None)
    with pytest.raises(NotFound):
        tasks.get(ALICE, task.id)
    with pytest.raises(NotFound):
        tasks.delete(ALICE, task.id, None)
    with pytest.raises(NotFound):
        tasks.update(ALICE, task.id, _patch(title="gone"), None)
    assert [t.id for t in tasks.list(ALICE, project_id, ALL, None).items] == [other.id]


def test_delete_with_if_match(tasks: TaskService, task: Task) -> None:
    tasks.update(ALICE, task.id, _patch(title="v2"), None)
    with pytest.raises(PreconditionFailed):
        tasks.delete(ALICE, task.id, 1)
    assert tasks.get(ALICE, task.id).version == 2
    tasks.delete(ALICE, task.id, 2)
    with pytest.raises(NotFound):
        tasks.get(ALICE, task.id)
