"""A recurring task's next occurrence prepared ahead (on the fakes): the stream consumer keeps
a current copy, completing reveals it in one write, and whatever is behind falls back to the
completion that builds the occurrence itself — one next occurrence either way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.models import ProjectCreate, Status, Task, TaskCreate, TaskPatch, TaskQuery
from tasklane.domain.prepared import NEXT_PREPARED, PREPARED_FOR
from tasklane.domain.recurrence import next_task_id
from tasklane.logic.occurrences import OccurrencePreparation
from tasklane.logic.projects import ProjectService
from tasklane.logic.stream import StreamChange, as_seen
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import Clock, Fakes

ALICE, BOB = "user-alice", "user-bob"
MONDAY_9_BERLIN = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)


class Calls:
    """Which store writes a completion made."""

    def __init__(self, fakes: Fakes, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[str] = []
        for name in ("complete_prepared", "complete_occurrence", "update_task"):
            original = getattr(fakes.tasks, name)

            def counted(*args: Any, _name: str = name, _original: Any = original) -> Any:
                self.made.append(_name)
                return _original(*args)

            monkeypatch.setattr(fakes.tasks, name, counted)


@pytest.fixture
def project_id(projects: ProjectService) -> str:
    return projects.create(ALICE, ProjectCreate(name="Chores")).id


@pytest.fixture
def preparation(fakes: Fakes, clock: Clock) -> OccurrencePreparation:
    return OccurrencePreparation(fakes.prepared, clock)


def _image(fakes: Fakes, task_id: str) -> dict[str, Any] | None:
    item = fakes.table.get(it.task_key(task_id))
    return None if item is None else it.deserialize(item)


def _stream(
    preparation: OccurrencePreparation, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    """What the events function does with the task's change: as seen, to the consumer."""
    event = "INSERT" if old is None else ("REMOVE" if new is None else "MODIFY")
    keys = {"pk": "PROJECT#p", "sk": "TASK#t"}
    seen = as_seen(StreamChange("1", event, "1", keys, old, new))  # type: ignore[arg-type]
    if seen is not None:
        preparation.handle(seen)


def _weekly(tasks: TaskService, project_id: str, rule: str = "FREQ=WEEKLY") -> Task:
    data = TaskCreate(
        title="Water the plants",
        labels=["home"],
        due_at=MONDAY_9_BERLIN,
        recurrence=rule,
        time_zone="Europe/Berlin",
    )
    return tasks.create(ALICE, project_id, data)


def _prepared(
    tasks: TaskService, fakes: Fakes, preparation: OccurrencePreparation, project_id: str
) -> Task:
    task = _weekly(tasks, project_id)
    _stream(preparation, None, _image(fakes, task.id))
    return task


def test_the_copy_is_prepared_hidden_and_completing_reveals_it_in_one_write(
    tasks: TaskService,
    fakes: Fakes,
    preparation: OccurrencePreparation,
    project_id: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = _prepared(tasks, fakes, preparation, project_id)
    following_id = next_task_id(task.id)
    copy = _image(fakes, following_id)
    assert copy is not None
    assert copy[PREPARED_FOR] == task.id
    assert (_image(fakes, task.id) or {})[NEXT_PREPARED] == 1
    # Hidden: not listed, not readable.
    assert [t.id for t in tasks.list(ALICE, project_id, TaskQuery(limit=50), None).items] == [
        task.id
    ]

    calls = Calls(fakes, monkeypatch)
    clock.advance(hours=3)
    fakes.share(project_id, BOB, "editor")  # type: ignore[arg-type]
    assert tasks.complete(BOB, task.id, 1) == 2
    assert calls.made == ["complete_prepared"]
    following = tasks.get(ALICE, following_id)
    assert following.due_at == "2025-06-09T07:00:00.000Z"
    assert (following.title, following.labels, following.status) == (
        task.title,
        task.labels,
        Status.todo,
    )
    assert (following.created_by, following.created_at) == (BOB, "2025-03-01T12:30:15.123Z")
    assert tasks.get(ALICE, task.id).status is Status.done
    assert NEXT_PREPARED not in (_image(fakes, task.id) or {})

    # Again (a retry), and undone then done again: no other occurrence.
    tasks.complete(BOB, task.id, None)
    tasks.update(ALICE, task.id, TaskPatch(status=Status.todo), None)
    tasks.complete(ALICE, task.id, None)
    listed = tasks.list(ALICE, project_id, TaskQuery(limit=50), None).items
    assert [t.id for t in listed] == [task.id, following_id]


def test_a_copy_behind_the_task_is_not_revealed_the_completion_builds_it(
    tasks: TaskService,
    fakes: Fakes,
    preparation: OccurrencePreparation,
    project_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = _prepared(tasks, fakes, preparation, project_id)
    tasks.update(ALICE, task.id, TaskPatch(title="Water the ferns"), None)  # not streamed yet
    calls = Calls(fakes, monkeypatch)
    tasks.complete(ALICE, task.id, None)
    assert calls.made == ["complete_prepared", "complete_occurrence"]
    following = tasks.get(ALICE, next_task_id(task.id))
    assert following.title == "Water the ferns"
    assert PREPARED_FOR not in (_image(fakes, following.id) or {})


def test_each_change_prepares_a_fresh_copy_and_a_replayed_one_none(
    tasks: TaskService, fakes: Fakes, preparation: OccurrencePreparation, project_id: str
) -> None:
    task = _prepared(tasks, fakes, preparation, project_id)
    first = _image(fakes, task.id)
    tasks.update(ALICE, task.id, TaskPatch(title="Water the ferns"), None)
    second = _image(fakes, task.id)
    _stream(preparation, first, second)
    assert (_image(fakes, next_task_id(task.id)) or {})["title"] == "Water the ferns"
    _stream(preparation, None, first)  # replayed: version 1 is gone, nothing is written
    assert (_image(fakes, next_task_id(task.id)) or {})["title"] == "Water the ferns"
    assert (_image(fakes, task.id) or {})[NEXT_PREPARED] == 2


def test_stopping_withdraws_the_copy_and_a_series_end_prepares_none(
    tasks: TaskService, fakes: Fakes, preparation: OccurrencePreparation, project_id: str
) -> None:
    task = _prepared(tasks, fakes, preparation, project_id)
    before = _image(fakes, task.id)
    tasks.update(ALICE, task.id, TaskPatch.model_validate({"recurrence": None}), None)
    _stream(preparation, before, _image(fakes, task.id))
    assert _image(fakes, next_task_id(task.id)) is None
    # A plain task's changes prepare nothing and withdraw nothing.
    plain = tasks.create(ALICE, project_id, TaskCreate(title="Plain"))
    _stream(preparation, None, _image(fakes, plain.id))
    assert _image(fakes, next_task_id(plain.id)) is None
    # The series' last occurrence has nothing to prepare.
    first = _weekly(tasks, project_id, "FREQ=WEEKLY;COUNT=2")
    _stream(preparation, None, _image(fakes, first.id))
    last_id = next_task_id(first.id)
    copy = _image(fakes, last_id)
    tasks.complete(ALICE, first.id, None)
    _stream(preparation, copy, _image(fakes, last_id))  # the reveal: its creation
    assert tasks.get(ALICE, last_id).recurrence is not None
    assert _image(fakes, next_task_id(last_id)) is None


def test_a_plain_task_completes_as_a_patch_would(
    tasks: TaskService, fakes: Fakes, project_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tasks.create(ALICE, project_id, TaskCreate(title="Plain"))
    calls = Calls(fakes, monkeypatch)
    assert tasks.complete(ALICE, plain.id, None) is None
    assert calls.made == ["complete_prepared", "update_task"]
    assert tasks.get(ALICE, plain.id).status is Status.done
