"""The ``TaskStore`` contract for recurring tasks: the plain completion refused with the task,
the completion and its next occurrence in one write, exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.errors import NotFound, PreconditionFailed
from tasklane.domain.ports.tasks import NextOccurrenceNeeded
from tasklane.domain.recurrence import Series, next_task_id
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.recurrence import next_occurrence

from .conftest import ALICE, BOB, T0, Shared, task

SERIES = Series(
    rule="FREQ=WEEKLY", time_zone="Europe/Berlin", number=1, local_due="2025-06-02T09:00:00"
)
ITEM = ChecklistItem(
    id="01jx0000000000000000000000",
    text="Fern",
    done=True,
    position="a0",
    done_by=ALICE,
    done_at="2025-06-01T10:00:00.000Z",
)
DONE: dict[str, Any] = {"status": "done"}


def _recurring(shared: Shared) -> Any:
    made = task(
        shared.project.id,
        due_at="2025-06-02T07:00:00.000Z",
        recurrence=SERIES,
        checklist=[ITEM],
        labels=["home"],
    )
    shared.backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    return made


def test_a_recurring_task_is_stored_with_its_series_and_checklist(shared: Shared) -> None:
    made = _recurring(shared)
    read = shared.backend.tasks().get_task(made.id, ALICE)
    assert read is not None
    assert read.recurrence == SERIES
    assert read.checklist == [ITEM]
    assert (read.checklist_progress.done, read.checklist_progress.total) == (1, 1)


def test_completing_is_refused_with_the_task_then_written_with_the_next(shared: Shared) -> None:
    tasks, made = shared.backend.tasks(), _recurring(shared)
    later = T0 + timedelta(hours=1)
    with pytest.raises(NextOccurrenceNeeded) as needed:
        tasks.update_task(made.id, BOB, TASK_WRITERS, DONE, None, later)
    assert needed.value.task == made
    following = next_occurrence(needed.value.task, BOB, later)
    assert following is not None
    assert following.id == next_task_id(made.id)
    tasks.complete_occurrence(needed.value.task, BOB, TASK_WRITERS, DONE, following, later)

    done = tasks.get_task(made.id, ALICE)
    created = tasks.get_task(following.id, ALICE)
    assert done is not None
    assert created is not None
    assert (done.status.value, done.version) == ("done", 2)
    assert created == following
    assert created.checklist[0].done is False

    # A second completion with the stale view is refused; tried again, it is a plain one.
    with pytest.raises(PreconditionFailed):
        tasks.complete_occurrence(needed.value.task, ALICE, TASK_WRITERS, DONE, following, later)
    tasks.update_task(made.id, ALICE, TASK_WRITERS, DONE, None, later)
    # Un-done and done again: the task remembers its next occurrence exists.
    tasks.update_task(made.id, ALICE, TASK_WRITERS, {"status": "todo"}, None, later)
    tasks.update_task(made.id, ALICE, TASK_WRITERS, DONE, None, later)
    again = tasks.get_task(made.id, ALICE)
    assert again is not None
    assert again.status.value == "done"


def test_the_last_occurrence_completes_without_a_next(shared: Shared) -> None:
    tasks, made = shared.backend.tasks(), _recurring(shared)
    with pytest.raises(NextOccurrenceNeeded):
        tasks.update_task(made.id, ALICE, TASK_WRITERS, DONE, None, T0)
    tasks.complete_occurrence(made, ALICE, TASK_WRITERS, DONE, None, T0)
    tasks.update_task(made.id, ALICE, TASK_WRITERS, {"status": "todo"}, None, T0)
    tasks.update_task(made.id, ALICE, TASK_WRITERS, DONE, None, T0)  # no refusal now
    assert tasks.get_task(next_task_id(made.id), ALICE) is None


def test_an_existing_next_occurrence_is_not_written_twice(shared: Shared) -> None:
    tasks, made = shared.backend.tasks(), _recurring(shared)
    following = next_occurrence(made, ALICE, T0)
    assert following is not None
    tasks.create_task(following.model_copy(update={"title": "moved on"}), ALICE, TASK_WRITERS)
    tasks.complete_occurrence(made, ALICE, TASK_WRITERS, DONE, following, T0)
    kept = tasks.get_task(following.id, ALICE)
    assert kept is not None
    assert kept.title == "moved on"


def test_rules_are_changed_and_removed(shared: Shared) -> None:
    tasks, made = shared.backend.tasks(), _recurring(shared)
    daily = SERIES.model_copy(update={"rule": "FREQ=DAILY"})
    tasks.update_task(made.id, ALICE, TASK_WRITERS, {"recurrence": daily.model_dump()}, 1, T0)
    read = tasks.get_task(made.id, ALICE)
    assert read is not None
    assert read.recurrence == daily
    tasks.update_task(made.id, ALICE, TASK_WRITERS, {"recurrence": None}, 2, T0)
    read = tasks.get_task(made.id, ALICE)
    assert read is not None
    assert read.recurrence is None
    tasks.update_task(made.id, ALICE, TASK_WRITERS, DONE, None, T0)  # a plain completion now


def test_completing_needs_a_writer(shared: Shared) -> None:
    tasks, made = shared.backend.tasks(), _recurring(shared)
    with pytest.raises(NotFound):
        tasks.complete_occurrence(made, "user-stranger", TASK_WRITERS, DONE, None, T0)
