"""The activity consumer and its reads, on hand-made stream changes of real item layouts
and the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.errors import NotFound
from tasklane.domain.models import Comment, Person, Project, Task
from tasklane.logic.activity import ActivityRecorder, ActivityService, activity_change
from tasklane.logic.pages import Cursors
from tasklane.logic.stream import StreamChange
from tests.builders import project_model, task_model
from tests.fakes.activity import InMemoryActivity
from tests.fakes.table import InMemoryTable

ALICE, BOB = "user-alice", "user-bob"
STAMP = "2026-03-01T09:00:00.000Z"
TTL = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def _project() -> Project:
    return project_model(ALICE, STAMP)


def _task(project_id: str, **fields: Any) -> Task:
    return task_model(project_id, ALICE, STAMP, title="Write the report", **fields)


def _image(task: Task, **raw: Any) -> dict[str, Any]:
    """The stream's image of the task's item (plain values, table attribute names)."""
    return it.deserialize(it.task_to_item(task)) | raw


class World:
    def __init__(self) -> None:
        self.table = InMemoryTable()
        self.project = _project()
        alice = Person(user_id=ALICE, email="a@x.io", display_name="Alice")
        for item in it.project_to_items(self.project, alice):
            self.table.put(item)
        self.store = InMemoryActivity(self.table)
        self.recorder = ActivityRecorder(self.store)
        self.reads = ActivityService(self.store, Cursors(b"k" * 32))
        self._sequence = 0

    def change(
        self,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        identity: dict[str, Any] | None = None,
    ) -> StreamChange:
        self._sequence += 1
        image = new or old or {}
        return StreamChange(
            event_id=f"event-{self._sequence}",
            event_name="INSERT" if old is None else "REMOVE" if new is None else "MODIFY",
            sequence_number=str(self._sequence),
            keys={"pk": image.get("pk"), "sk": image.get("sk")},
            old=old,
            new=new,
            recorded_at=datetime(2026, 3, 2, tzinfo=UTC),
            user_identity=identity,
        )

    def feed(self, task_id: str | None = None) -> list[tuple[str, str | None, Any, Any]]:
        listing = (
            self.reads.task(ALICE, task_id, 100, None)
            if task_id
            else self.reads.project(ALICE, self.project.id, 100, None)
        )
        return [(e.action.value, e.field, e.old, e.new) for e in listing.items]


@pytest.fixture
def world() -> World:
    return World()


def test_a_tasks_life_newest_first_and_replays_change_nothing(world: World) -> None:
    task = _task(world.project.id)
    item = ChecklistItem(id="01jq00000000000000000000aa", text="numbers", position="a0")
    created = _image(task)
    edited = _image(
        Task.model_validate(
            task.model_dump()
            | {
                "title": "Write the annual report",
                "priority": "high",
                "checklist": [item],
                "updated_by": BOB,
                "updated_at": "2026-03-01T10:00:00.000Z",
                "version": 2,
            }
        )
    )
    ticked = edited | {
        it.checklist_attribute(item.id): it.checklist_item_value(item) | {"done": True},
        "updated_at": "2026-03-01T11:00:00.000Z",
        "version": 3,
    }
    trashed = ticked | {
        "deleted_at": "2026-03-01T12:00:00.000Z",
        "deleted_by": BOB,
        "version": 4,
    }
    changes = [
        world.change(None, created),
        world.change(created, edited),
        world.change(edited, ticked),
        world.change(ticked, trashed),
        world.change(trashed, None, TTL),
    ]
    for change in changes:
        world.recorder.handle(change)
    expected = [
        ("deleted", None, None, None),
        ("trashed", None, None, None),
        (
            "updated",
            "checklist_item",
            {"id": item.id, "text": "numbers", "done": False},
            {"id": item.id, "text": "numbers", "done": True},
        ),
        ("updated", "checklist_item", None, {"id": item.id, "text": "numbers", "done": False}),
        ("updated", "priority", "medium", "high"),
        ("updated", "title", "Write the report", "Write the annual report"),
        ("created", None, None, None),
    ]
    # The same order whichever way the records come, and however often.
    assert world.feed(task.id) == expected
    for change in reversed(changes):
        world.recorder.handle(change)
    assert world.feed(task.id) == expected
    assert world.feed() == expected
    entries = world.reads.task(ALICE, task.id, 100, None).items
    assert entries[0].actor_id is None  # the purge was TTL's
    assert entries[1].actor_id == BOB
    assert entries[-1].actor_id == ALICE


def test_bookkeeping_writes_nothing_and_other_items_are_skipped(world: World) -> None:
    task = _image(_task(world.project.id))
    world.recorder.handle(world.change(task, task | {"version": 2, "lsi_due_sk": "x"}))
    world.recorder.handle(world.change(None, {"type": "notification", "project_id": "x"}))
    world.recorder.handle(world.change(None, {"pk": "IDEMPOTENCY", "sk": "x"}))
    assert world.feed() == []


def test_comments_land_in_their_tasks_history(world: World) -> None:
    task = _task(world.project.id)
    comment = Comment(
        id="01jq00000000000000000000cc",
        task_id=task.id,
        author_id=BOB,
        body="Looks good " * 40,
        created_at=STAMP,
        updated_at=STAMP,
        version=1,
    )
    world.recorder.handle(world.change(None, it.deserialize(it.comment_to_item(comment))))
    [entry] = world.reads.task(ALICE, task.id, 10, None).items
    assert (entry.subject.value, entry.action.value, entry.actor_id) == ("comment", "created", BOB)
    assert entry.label.endswith("…")


def test_a_removed_project_writes_nothing_and_late_changes_neither(world: World) -> None:
    project_image = it.deserialize(it.project_to_items(world.project)[0])
    world.recorder.handle(world.change(project_image, None))
    world.table.items.clear()
    task = _image(_task(world.project.id))
    world.recorder.handle(world.change(task, None))  # the purge of its tasks
    assert world.table.items == {}


def test_ttl_is_told_from_a_users_delete(world: World) -> None:
    task = _image(_task(world.project.id))
    described = activity_change(world.change(task, None, TTL))
    assert described is not None
    assert described.expired
    user_delete = activity_change(world.change(task, None))
    assert user_delete is not None
    assert not user_delete.expired


def test_reads_are_members_only_and_paged(world: World) -> None:
    task = _image(_task(world.project.id))
    world.recorder.handle(world.change(None, task))
    world.recorder.handle(world.change(task, task | {"title": "b", "version": 2}))
    world.recorder.handle(world.change(task, task | {"title": "c", "version": 3}))
    first = world.reads.project(ALICE, world.project.id, 2, None)
    assert len(first.items) == 2
    assert first.next_cursor is not None
    rest = world.reads.project(ALICE, world.project.id, 2, first.next_cursor)
    assert [e.action.value for e in rest.items] == ["created"]
    with pytest.raises(NotFound):
        world.reads.project(BOB, world.project.id, 2, None)
    with pytest.raises(NotFound):
        world.reads.task(ALICE, "not-a-task", 2, None)
