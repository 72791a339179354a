"""The ``ActivityStore`` contract (tasklane.domain.ports.activity), on every implementation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.domain.activity import Action, ActivityEntry, Subject
from tasklane.domain.errors import NotFound
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time

from .conftest import ALICE, BOB, CAROL, T0, Shared, project, task


def _entry(project_id: str, task_id: str | None, n: int, **fields: object) -> ActivityEntry:
    at = T0 + timedelta(seconds=n)
    values: dict[str, object] = {
        "id": new_ulid().lower(),
        "project_id": project_id,
        "task_id": task_id,
        "subject": Subject.task if task_id else Subject.project,
        "subject_id": task_id or project_id,
        "label": f"change {n}",
        "action": Action.updated,
        "field": "title",
        "old": {"nested": [1, 2.5, None]},
        "new": f"title {n}",
        "actor_id": ALICE,
        "at": format_time(at),
    }
    return ActivityEntry.model_validate(values | fields)


def _ids(entries: list[ActivityEntry]) -> list[str]:
    return [e.id for e in entries]


def test_entries_are_listed_newest_first_per_project_and_per_task(shared: Shared) -> None:
    store = shared.backend.activity()
    pid = shared.project.id
    one, other = task(pid).id, task(pid).id
    entries = [_entry(pid, one, 0), _entry(pid, other, 1), _entry(pid, None, 2)]
    entries += [_entry(pid, one, 3), _entry(pid, one, 4)]
    entries = sorted(entries, key=lambda e: e.id)  # ULIDs sort by time
    assert store.record(pid, entries)
    first = store.project_page(pid, CAROL, 3, None)
    assert _ids(list(first.items)) == _ids(entries[::-1][:3])
    assert first.next_key is not None
    rest = store.project_page(pid, BOB, 3, first.next_key)
    assert _ids(list(rest.items)) == _ids(entries[::-1][3:])
    assert rest.next_key is None
    mine = store.task_page(one, CAROL, 10, None)
    assert [e.id for e in mine.items] == [e.id for e in entries[::-1] if e.task_id == one]
    assert mine.items[0] == next(e for e in entries[::-1] if e.task_id == one)  # whole


def test_recording_the_same_entries_again_changes_nothing(shared: Shared) -> None:
    store = shared.backend.activity()
    pid = shared.project.id
    entries = [_entry(pid, None, n) for n in range(3)]
    assert store.record(pid, entries)
    assert store.record(pid, entries)
    assert store.record(pid, entries[1:2])
    assert len(store.project_page(pid, ALICE, 10, None).items) == 3


def test_members_only(shared: Shared) -> None:
    store = shared.backend.activity()
    pid = shared.project.id
    store.record(pid, [_entry(pid, None, 0)])
    with pytest.raises(NotFound):
        store.project_page(pid, "user-stranger", 10, None)
    with pytest.raises(NotFound):
        store.task_page(task(pid).id, "user-stranger", 10, None)


def test_nothing_is_written_for_a_project_that_is_gone(shared: Shared) -> None:
    store = shared.backend.activity()
    gone = project()
    assert not store.record(gone.id, [_entry(gone.id, None, 0)])
    assert store.record(gone.id, [])
