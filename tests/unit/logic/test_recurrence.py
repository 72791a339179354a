"""Recurring tasks on the fakes: create with a rule, complete (next occurrence once), skip,
stop, COUNT ending the series, and the series following the due date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pydantic
import pytest

from tasklane.domain.errors import Conflict, NotFound, ValidationFailed
from tasklane.domain.models import (
    ProjectCreate,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
)
from tasklane.domain.recurrence import next_task_id
from tasklane.logic.projects import ProjectService
from tasklane.logic.recurrence import RecurrenceService
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import Clock, Fakes

ALICE = "user-alice"
ALL = TaskQuery(limit=100)
#: Monday 2 June 2025, 09:00 in Berlin (CEST, UTC+2).
MONDAY_9_BERLIN = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)


def _patch(**fields: Any) -> TaskPatch:
    return TaskPatch.model_validate(fields)


@pytest.fixture
def project_id(projects: ProjectService) -> str:
    return projects.create(ALICE, ProjectCreate(name="Chores")).id


@pytest.fixture
def recurrence(fakes: Fakes, clock: Clock) -> RecurrenceService:
    return RecurrenceService(fakes.tasks, clock)


def _weekly(tasks: TaskService, project_id: str, rule: str = "FREQ=WEEKLY") -> Task:
    data = TaskCreate(
        title="Water the plants",
        labels=["home"],
        due_at=MONDAY_9_BERLIN,
        recurrence=rule,
        time_zone="Europe/Berlin",
    )
    return tasks.create(ALICE, project_id, data)


def _listed(tasks: TaskService, project_id: str) -> list[Task]:
    return list(tasks.list(ALICE, project_id, ALL, None).items)


def test_a_rule_needs_a_due_date(tasks: TaskService, project_id: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        tasks.create(ALICE, project_id, TaskCreate(title="x", recurrence="FREQ=DAILY"))
    assert caught.value.details["reason"] == "invalid"


def test_the_zone_defaults_to_the_callers(tasks: TaskService, project_id: str) -> None:
    data = TaskCreate(title="x", due_at=MONDAY_9_BERLIN, recurrence="FREQ=DAILY")
    created = tasks.create(ALICE, project_id, data, lambda: "America/New_York")
    assert created.recurrence is not None
    assert created.recurrence.time_zone == "America/New_York"
    assert created.recurrence.local_due == "2025-06-02T03:00:00"


def test_completing_creates_the_next_occurrence_once(
    tasks: TaskService, project_id: str, clock: Clock
) -> None:
    task = _weekly(tasks, project_id)
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    tasks.update(ALICE, task.id, _patch(status="done"), None)  # a retry
    tasks.update(ALICE, task.id, _patch(status="todo"), None)  # un-done ...
    tasks.update(ALICE, task.id, _patch(status="done"), None)  # ... and done again
    listed = _listed(tasks, project_id)
    assert [t.id for t in listed] == [task.id, next_task_id(task.id)]
    following = listed[1]
    assert following.status is Status.todo
    assert following.due_at == "2025-06-09T07:00:00.000Z"
    assert (following.title, following.labels) == (task.title, task.labels)
    assert following.recurrence is not None
    assert following.recurrence.number == 2


def test_the_weekly_time_stays_local_across_dst(tasks: TaskService, project_id: str) -> None:
    # Monday 20 October 2025, 09:00 CEST; a week later Berlin is on CET (UTC+1).
    data = TaskCreate(
        title="Stand-up",
        due_at=datetime(2025, 10, 20, 7, 0, tzinfo=UTC),
        recurrence="FREQ=WEEKLY",
        time_zone="Europe/Berlin",
    )
    task = tasks.create(ALICE, project_id, data)
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    following = tasks.get(ALICE, next_task_id(task.id))
    assert following.due_at == "2025-10-27T08:00:00.000Z"


def test_count_ends_the_series(tasks: TaskService, project_id: str) -> None:
    task = _weekly(tasks, project_id, "FREQ=WEEKLY;COUNT=2")
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    second = tasks.get(ALICE, next_task_id(task.id))
    tasks.update(ALICE, second.id, _patch(status="done"), None)
    assert len(_listed(tasks, project_id)) == 2


def test_the_next_occurrence_has_the_checklist_unticked(
    tasks: TaskService, project_id: str, fakes: Fakes
) -> None:
    from tasklane.dal.dynamodb import items as it
    from tasklane.domain.checklists import ChecklistItem
    from tests.fakes.table import row

    task = _weekly(tasks, project_id)
    item = ChecklistItem(id="01jx0000000000000000000000", text="Fern", position="a0")
    stored = fakes.table.items[row(it.task_key(task.id))]
    stored[it.checklist_attribute(item.id)] = it.serialize(
        {"v": it.checklist_item_value(item.ticked(True, ALICE, "2025-06-02T07:00:00.000Z"))}
    )["v"]
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    following = tasks.get(ALICE, next_task_id(task.id))
    assert [(i.text, i.done) for i in following.checklist] == [("Fern", False)]
    assert following.checklist_progress.total == 1


def test_skip_moves_the_task_itself(
    tasks: TaskService, recurrence: RecurrenceService, project_id: str
) -> None:
    task = _weekly(tasks, project_id)
    skipped = recurrence.skip(ALICE, task.id)
    assert skipped.id == task.id
    assert skipped.due_at == "2025-06-09T07:00:00.000Z"
    assert skipped.recurrence is not None
    assert skipped.recurrence.number == 2
    assert len(_listed(tasks, project_id)) == 1


def test_skip_refuses_the_last_occurrence_and_plain_tasks(
    tasks: TaskService, recurrence: RecurrenceService, project_id: str
) -> None:
    task = _weekly(tasks, project_id, "FREQ=WEEKLY;COUNT=2")
    recurrence.skip(ALICE, task.id)
    with pytest.raises(Conflict) as ended:
        recurrence.skip(ALICE, task.id)
    assert ended.value.details == {"reason": "series_ended"}
    plain = tasks.create(ALICE, project_id, TaskCreate(title="once"))
    with pytest.raises(Conflict):
        recurrence.skip(ALICE, plain.id)
    with pytest.raises(NotFound):
        recurrence.skip("user-stranger", task.id)


def test_stop_repeating(tasks: TaskService, recurrence: RecurrenceService, project_id: str) -> None:
    task = _weekly(tasks, project_id)
    recurrence.stop(ALICE, task.id, task.version)
    assert tasks.get(ALICE, task.id).recurrence is None
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    assert len(_listed(tasks, project_id)) == 1


def test_clearing_the_due_date_stops_repeating(tasks: TaskService, project_id: str) -> None:
    task = _weekly(tasks, project_id)
    tasks.update(ALICE, task.id, _patch(due_at=None), None)
    assert tasks.get(ALICE, task.id).recurrence is None


def test_a_due_date_set_by_hand_reanchors_the_series(tasks: TaskService, project_id: str) -> None:
    task = _weekly(tasks, project_id)
    tasks.update(ALICE, task.id, _patch(due_at="2025-06-04T16:00:00+02:00"), None)
    changed = tasks.get(ALICE, task.id)
    assert changed.recurrence is not None
    assert changed.recurrence.local_due == "2025-06-04T16:00:00"
    tasks.update(ALICE, task.id, _patch(status="done"), None)
    assert tasks.get(ALICE, next_task_id(task.id)).due_at == "2025-06-11T14:00:00.000Z"


def test_a_new_rule_is_validated(tasks: TaskService, project_id: str) -> None:
    task = _weekly(tasks, project_id)
    with pytest.raises(pydantic.ValidationError, match="more often than daily"):
        _patch(recurrence="FREQ=HOURLY")
    tasks.update(ALICE, task.id, _patch(recurrence="FREQ=DAILY;INTERVAL=2"), None)
    changed = tasks.get(ALICE, task.id)
    assert changed.recurrence is not None
    assert changed.recurrence.rule == "FREQ=DAILY;INTERVAL=2"
    assert changed.recurrence.time_zone == "Europe/Berlin"  # kept from the old series


def test_a_time_zone_alone_needs_a_recurring_task(tasks: TaskService, project_id: str) -> None:
    plain = tasks.create(ALICE, project_id, TaskCreate(title="once"))
    with pytest.raises(ValidationFailed):
        tasks.update(ALICE, plain.id, _patch(time_zone="Europe/Paris"), None)
