"""Activity history (tasklane.domain.activity): which stream changes make entries, what they
say, and ids that neither duplicate nor misorder under replays and reordering."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tasklane.domain.activity import (
    CHECKLIST_ITEM,
    LABEL_CHARS,
    TEXT_CHARS,
    Action,
    ActivityChange,
    ActivityEntry,
    Subject,
    entries_for,
    expires_at,
)
from tasklane.domain.ids import new_project_id, new_task_id

PROJECT = new_project_id()
TASK = new_task_id(PROJECT)
RECORDED = datetime(2026, 5, 1, 12, 0, 9, tzinfo=UTC)
_sequence = iter(range(10**20, 10**21))


def task(**fields: Any) -> dict[str, Any]:
    """A task image in API field names, as the stream consumer hands it over."""
    image: dict[str, Any] = {
        "id": TASK,
        "project_id": PROJECT,
        "title": "Write the report",
        "description": "",
        "status": "todo",
        "priority": "medium",
        "due_at": None,
        "labels": [],
        "assignee_id": None,
        "created_at": "2026-05-01T10:00:00.000Z",
        "updated_at": "2026-05-01T10:00:00.000Z",
        "created_by": "ada",
        "updated_by": "ada",
        "version": Decimal(1),
    }
    return image | fields


def change(
    subject: Subject,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    *,
    expired: bool = False,
    sequence: str | None = None,
) -> ActivityChange:
    sequence = sequence or str(next(_sequence))
    return ActivityChange(
        subject=subject,
        project_id=PROJECT,
        event_id=f"event-{sequence}",
        sequence_number=sequence,
        recorded_at=RECORDED,
        old=old,
        new=new,
        expired=expired,
    )


def summary(entries: list[ActivityEntry]) -> list[tuple[Any, ...]]:
    return [(e.action, e.field, e.old, e.new, e.actor_id, e.at) for e in entries]


# -- tasks ----------------------------------------------------------------------------------------
def test_creating_a_task_is_one_entry_by_its_creator() -> None:
    [entry] = entries_for(change(Subject.task, None, task()))
    assert entry.model_dump(exclude={"id"}) == {
        "project_id": PROJECT,
        "task_id": TASK,
        "subject": Subject.task,
        "subject_id": TASK,
        "label": "Write the report",
        "action": Action.created,
        "field": None,
        "old": None,
        "new": None,
        "actor_id": "ada",
        "at": "2026-05-01T10:00:00.000Z",
    }


def test_each_changed_field_is_one_entry_with_old_and_new() -> None:
    old = task()
    new = task(
        title="Write the annual report",
        status="done",
        priority="high",
        due_at="2026-05-08T15:00:00.000Z",
        labels=["work", "q2"],
        assignee_id="bob",
        updated_by="bob",
        updated_at="2026-05-01T11:30:00.000Z",
        version=Decimal(2),
        completed_at="2026-05-01T11:30:00.000Z",  # follows status: no entry of its own
    )
    entries = entries_for(change(Subject.task, old, new))
    at = "2026-05-01T11:30:00.000Z"
    assert summary(entries) == [
        (Action.updated, "title", "Write the report", "Write the annual report", "bob", at),
        (Action.updated, "status", "todo", "done", "bob", at),
        (Action.updated, "priority", "medium", "high", "bob", at),
        (Action.updated, "due_at", None, "2026-05-08T15:00:00.000Z", "bob", at),
        (Action.updated, "assignee_id", None, "bob", "bob", at),
        (Action.updated, "labels", [], ["work", "q2"], "bob", at),
    ]
    # The entries of one change sort in that order, and every id is different.
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    assert len({e.id for e in entries}) == len(entries)
    assert {e.label for e in entries} == {"Write the annual report"}


def test_bookkeeping_changes_make_no_entry() -> None:
    old = task()
    new = task(
        version=Decimal(2),
        updated_at="2026-05-01T10:05:00.000Z",
        position="a1",
        attachment_count=Decimal(1),
    )
    assert entries_for(change(Subject.task, old, new)) == []


def test_long_texts_are_abbreviated() -> None:
    long_text = "word " * 500
    [entry] = entries_for(
        change(Subject.task, task(), task(description=long_text, version=Decimal(2)))
    )
    assert entry.field == "description"
    assert entry.old == ""
    assert isinstance(entry.new, str)
    assert len(entry.new) <= TEXT_CHARS
    assert entry.new.endswith("…")
    [created] = entries_for(change(Subject.task, None, task(title="t" * 200)))
    assert len(created.label) <= LABEL_CHARS


def test_trash_and_restore_are_one_entry_each() -> None:
    trashed = task(deleted_at="2026-05-02T09:00:00.000Z", deleted_by="bob", version=Decimal(2))
    assert summary(entries_for(change(Subject.task, task(), trashed))) == [
        (Action.trashed, None, None, None, "bob", "2026-05-02T09:00:00.000Z")
    ]
    restored = task(updated_by="ada", updated_at="2026-05-03T09:00:00.000Z", version=Decimal(3))
    assert summary(entries_for(change(Subject.task, trashed, restored))) == [
        (Action.restored, None, None, None, "ada", "2026-05-03T09:00:00.000Z")
    ]


def test_a_removal_names_nobody_unless_the_item_says_who() -> None:
    trashed = task(deleted_at="2026-05-02T09:00:00.000Z", deleted_by="bob")
    # Purged after its time in the trash (TTL): nobody did it; the record's time is when.
    [expired] = entries_for(change(Subject.task, trashed, None, expired=True))
    assert (expired.action, expired.actor_id, expired.at) == (
        Action.deleted,
        None,
        "2026-05-01T12:00:09.000Z",
    )
    # The trasher is not the purger.
    [purged] = entries_for(change(Subject.task, trashed, None))
    assert purged.actor_id is None
    [named] = entries_for(change(Subject.task, task(purged_by="ada"), None))
    assert named.actor_id == "ada"


def test_a_recurrence_entry_shows_the_rule_not_the_series_bookkeeping() -> None:
    series = {"rule": "FREQ=WEEKLY", "time_zone": "UTC", "number": 1, "local_due": "x"}
    skipped = series | {"number": 2, "local_due": "y"}
    # Skipping moves the due date and the series: only the due date is news.
    entries = entries_for(
        change(
            Subject.task,
            task(recurrence=series, due_at="2026-05-04T09:00:00.000Z"),
            task(recurrence=skipped, due_at="2026-05-11T09:00:00.000Z", version=Decimal(2)),
        )
    )
    assert [e.field for e in entries] == ["due_at"]
    [stopped] = entries_for(change(Subject.task, task(recurrence=series), task(recurrence=None)))
    assert (stopped.field, stopped.old, stopped.new) == ("recurrence", "FREQ=WEEKLY", None)


def test_checklist_changes_are_recorded_per_item() -> None:
    def item(item_id: str, text: str, done: bool = False, position: str = "a0") -> dict[str, Any]:
        return {"id": item_id, "text": text, "done": done, "position": position}

    old = task(checklist=[item("1", "milk"), item("2", "eggs"), item("3", "bread")])
    new = task(
        checklist=[
            item("1", "milk", done=True),  # ticked
            item("2", "eggs", position="a5"),  # moved: not news
            item("4", "flour"),  # added; 3 removed
        ],
        version=Decimal(2),
    )
    entries = entries_for(change(Subject.task, old, new))
    assert [(e.field, e.old, e.new) for e in entries] == [
        (
            CHECKLIST_ITEM,
            {"id": "1", "text": "milk", "done": False},
            {"id": "1", "text": "milk", "done": True},
        ),
        (CHECKLIST_ITEM, {"id": "3", "text": "bread", "done": False}, None),
        (CHECKLIST_ITEM, None, {"id": "4", "text": "flour", "done": False}),
    ]


# -- comments, attachments, members, projects ----------------------------------------------------
def comment(**fields: Any) -> dict[str, Any]:
    image = {
        "id": "01j0000000000000000000comm",
        "task_id": TASK,
        "author_id": "bob",
        "body": "Looks good",
        "created_at": "2026-05-01T10:10:00.000Z",
        "updated_at": "2026-05-01T10:10:00.000Z",
        "version": Decimal(1),
    }
    return image | fields


def test_comments_created_edited_and_deleted() -> None:
    [created] = entries_for(change(Subject.comment, None, comment()))
    assert (created.subject, created.subject_id, created.task_id, created.actor_id) == (
        Subject.comment,
        "01j0000000000000000000comm",
        TASK,
        "bob",
    )
    assert created.label == "Looks good"
    edited = comment(body="Looks great", updated_at="2026-05-01T10:20:00.000Z", version=2)
    assert summary(entries_for(change(Subject.comment, comment(), edited))) == [
        (Action.updated, "body", "Looks good", "Looks great", "bob", "2026-05-01T10:20:00.000Z")
    ]
    [deleted] = entries_for(change(Subject.comment, edited, None))
    assert (deleted.action, deleted.actor_id, deleted.at) == (
        Action.deleted,
        None,
        "2026-05-01T12:00:09.000Z",
    )


def attachment(**fields: Any) -> dict[str, Any]:
    image = {
        "id": "01j00000000000000000000att",
        "task_id": TASK,
        "file_name": "report.pdf",
        "size": Decimal(1234),
        "content_type": "application/pdf",
        "status": "pending",
        "created_at": "2026-05-01T10:00:00.000Z",
        "created_by": "ada",
        "completed_at": None,
    }
    return image | fields


def test_an_attachment_counts_once_its_upload_is_complete() -> None:
    pending = attachment()
    ready = attachment(status="ready", completed_at="2026-05-01T10:01:00.000Z")
    assert entries_for(change(Subject.attachment, None, pending)) == []
    assert entries_for(change(Subject.attachment, pending, None)) == []  # swept
    [added] = entries_for(change(Subject.attachment, pending, ready))
    assert (added.action, added.label, added.actor_id, added.at) == (
        Action.created,
        "report.pdf",
        "ada",
        "2026-05-01T10:01:00.000Z",
    )
    assert entries_for(change(Subject.attachment, ready, ready)) == []
    [removed] = entries_for(change(Subject.attachment, ready, None))
    assert removed.action is Action.deleted


def member(**fields: Any) -> dict[str, Any]:
    image = {
        "user_id": "bob",
        "project_id": PROJECT,
        "email": "bob@example.com",
        "display_name": "Bob",
        "role": "viewer",
        "added_at": "2026-05-01T09:00:00.000Z",
        "added_by": "ada",
    }
    return image | fields


def test_members_added_changed_and_removed() -> None:
    [added] = entries_for(change(Subject.member, None, member()))
    assert (added.subject_id, added.task_id, added.label, added.actor_id, added.at) == (
        "bob",
        None,
        "Bob",
        "ada",
        "2026-05-01T09:00:00.000Z",
    )
    [role] = entries_for(change(Subject.member, member(), member(role="editor")))
    # Memberships record no change time: the record's.
    assert (role.field, role.old, role.new, role.at) == (
        "role",
        "viewer",
        "editor",
        "2026-05-01T12:00:09.000Z",
    )
    [left] = entries_for(change(Subject.member, member(), None))
    assert left.action is Action.deleted
    [nameless] = entries_for(change(Subject.member, None, member(display_name="")))
    assert nameless.label == "bob@example.com"


def project(**fields: Any) -> dict[str, Any]:
    image = {
        "id": PROJECT,
        "name": "Launch",
        "description": "",
        "owner_id": "ada",
        "created_at": "2026-05-01T08:00:00.000Z",
        "updated_at": "2026-05-01T08:00:00.000Z",
        "version": Decimal(1),
    }
    return image | fields


def test_projects_created_renamed_archived() -> None:
    [created] = entries_for(change(Subject.project, None, project()))
    assert (created.subject_id, created.task_id, created.actor_id) == (PROJECT, None, "ada")
    renamed = project(name="Launch 2", updated_by="ada", updated_at="2026-05-02T08:00:00.000Z")
    assert summary(entries_for(change(Subject.project, project(), renamed))) == [
        (Action.updated, "name", "Launch", "Launch 2", "ada", "2026-05-02T08:00:00.000Z")
    ]
    archived = renamed | {"archived_at": "2026-05-03T08:00:00.000Z", "archived_by": "ada"}
    assert summary(entries_for(change(Subject.project, renamed, archived))) == [
        (Action.archived, None, None, None, "ada", "2026-05-03T08:00:00.000Z")
    ]
    back = renamed | {"updated_at": "2026-05-04T08:00:00.000Z"}
    [unarchived] = entries_for(change(Subject.project, archived, back))
    assert (unarchived.action, unarchived.at) == (Action.unarchived, "2026-05-04T08:00:00.000Z")


# -- replays and order --------------------------------------------------------------------------
def test_a_replayed_record_gives_the_same_entries() -> None:
    record = change(Subject.task, task(), task(title="New", status="done", version=Decimal(2)))
    assert entries_for(record) == entries_for(record)
    other = change(Subject.task, task(), task(title="New", status="done", version=Decimal(2)))
    # Another record with the same content (another change) is other entries.
    assert not {e.id for e in entries_for(record)} & {e.id for e in entries_for(other)}


def test_ids_sort_by_when_things_happened_whatever_the_arrival_order() -> None:
    history: list[ActivityChange] = []
    previous = task()
    history.append(change(Subject.task, None, previous))
    for minute in range(1, 30):
        current = task(
            title=f"Title {minute}",
            updated_at=f"2026-05-01T10:{minute:02d}:00.000Z",
            version=Decimal(minute + 1),
        )
        history.append(change(Subject.task, previous, current))
        previous = current
    in_order = [e.id for record in history for e in entries_for(record)]
    shuffled = history[:]
    random.Random(5).shuffle(shuffled)
    arrived = [e.id for record in shuffled for e in entries_for(record)]
    assert sorted(arrived) == in_order
    assert len(set(in_order)) == len(in_order)


def test_changes_in_the_same_millisecond_sort_by_version() -> None:
    same = "2026-05-01T10:00:00.000Z"
    second = change(
        Subject.task, task(), task(title="B", updated_at=same, version=Decimal(3)), sequence="9"
    )
    first = change(
        Subject.task, task(), task(title="A", updated_at=same, version=Decimal(2)), sequence="8"
    )
    [a], [b] = entries_for(first), entries_for(second)
    assert a.id < b.id


def test_entries_expire_after_a_year() -> None:
    assert expires_at("2026-05-01T10:00:00.000Z") == int(
        datetime(2027, 5, 1, 10, tzinfo=UTC).timestamp()
    )
    assert expires_at("2026-05-01T10:00:00.000Z", retention_days=1) == int(
        datetime(2026, 5, 2, 10, tzinfo=UTC).timestamp()
    )


@pytest.mark.parametrize("subject", list(Subject))
def test_no_images_no_entries(subject: Subject) -> None:
    assert entries_for(change(subject, None, None)) == []
