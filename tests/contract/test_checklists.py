"""The ``ChecklistStore`` contract (tasklane.domain.ports.checklists), on every implementation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tasklane.domain.checklists import MAX_ITEMS, ChecklistFull, ChecklistItem
from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import Task
from tasklane.logic.access import TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Backend, Shared, task

LATER = T0 + timedelta(minutes=5)


def _item(text: str, position: str) -> ChecklistItem:
    return ChecklistItem(id=new_ulid(), text=text, position=position)


def _made(shared: Shared) -> Task:
    made = task(shared.project.id)
    shared.backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    return made


def _read(backend: Backend, task_id: str) -> Task:
    found = backend.tasks().get_task(task_id, ALICE)
    assert found is not None
    return found


def test_items_are_added_in_order_and_counted(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    second, first = _item("second", "a1"), _item("first", "a0")
    checklists.add_item(made.id, BOB, TASK_WRITERS, second, None, LATER)
    checklists.add_item(made.id, ALICE, TASK_WRITERS, first, 2, LATER)
    read = _read(shared.backend, made.id)
    assert read.checklist == [first, second]
    assert read.version == 3
    assert (read.checklist_progress.done, read.checklist_progress.total) == (0, 2)
    with pytest.raises(PreconditionFailed):
        checklists.add_item(made.id, ALICE, TASK_WRITERS, _item("x", "a2"), 2, LATER)
    with pytest.raises(Forbidden):
        checklists.add_item(made.id, CAROL, TASK_WRITERS, _item("x", "a2"), None, LATER)
    with pytest.raises(NotFound):
        checklists.add_item(made.id, "user-stranger", TASK_WRITERS, _item("x", "a2"), None, LATER)


def test_ticking_edits_and_moves_write_the_item_only(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    one, two = _item("one", "a0"), _item("two", "a1")
    for item in (one, two):
        checklists.add_item(made.id, ALICE, TASK_WRITERS, item, None, T0)
    checklists.change_item(made.id, one.id, BOB, TASK_WRITERS, {"done": True}, None, LATER)
    checklists.change_item(made.id, one.id, ALICE, TASK_WRITERS, {"done": True}, None, LATER)
    checklists.change_item(
        made.id, two.id, ALICE, TASK_WRITERS, {"text": "TWO", "position": "Zz"}, None, LATER
    )
    read = _read(shared.backend, made.id)
    assert [(i.text, i.done, i.done_by) for i in read.checklist] == [
        ("TWO", False, None),
        ("one", True, BOB),  # the first to tick it
    ]
    checklists.change_item(made.id, one.id, ALICE, TASK_WRITERS, {"done": False}, None, LATER)
    unticked = _read(shared.backend, made.id).checklist[1]
    assert (unticked.done, unticked.done_by, unticked.done_at) == (False, None, None)
    with pytest.raises(NotFound):
        checklists.change_item(made.id, new_ulid(), ALICE, TASK_WRITERS, {"done": True}, None, T0)


def test_removing_an_item_and_the_limit(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    first = _item("first", "a0")
    checklists.add_item(made.id, ALICE, TASK_WRITERS, first, None, T0)
    checklists.remove_item(made.id, first.id, ALICE, TASK_WRITERS, None, T0)
    with pytest.raises(NotFound):
        checklists.remove_item(made.id, first.id, ALICE, TASK_WRITERS, None, T0)
    assert _read(shared.backend, made.id).checklist == []
    # The limit is the write's own condition: a full list refuses one more.
    full = task(shared.project.id, checklist=[_item(f"{n}", f"a{n}") for n in range(MAX_ITEMS)])
    shared.backend.tasks().create_task(full, ALICE, TASK_WRITERS)
    with pytest.raises(ChecklistFull):
        checklists.add_item(full.id, ALICE, TASK_WRITERS, _item("one more", "b0"), None, T0)


def test_converting_an_item_into_a_task(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    item = _item("call the plumber", "a0")
    checklists.add_item(made.id, ALICE, TASK_WRITERS, item, None, T0)
    created = task(shared.project.id, title=item.text)
    stale = item.model_copy(update={"text": "something else"})
    with pytest.raises(PreconditionFailed):
        checklists.convert_item(made.id, stale, ALICE, TASK_WRITERS, created, LATER)
    checklists.convert_item(made.id, item, ALICE, TASK_WRITERS, created, LATER)
    assert _read(shared.backend, made.id).checklist == []
    assert _read(shared.backend, created.id).title == "call the plumber"
    with pytest.raises(NotFound):
        checklists.convert_item(made.id, item, ALICE, TASK_WRITERS, created, LATER)


def test_trashed_tasks_take_no_items(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    shared.backend.trash().trash_task(made.id, ALICE, TASK_WRITERS, None, T0, 30)
    with pytest.raises(NotFound):
        checklists.add_item(made.id, ALICE, TASK_WRITERS, _item("x", "a0"), None, T0)


def test_two_users_ticking_different_items_at_once_both_land(shared: Shared) -> None:
    checklists, made = shared.backend.checklists(), _made(shared)
    items = [_item(f"item {n}", f"a{n}") for n in range(6)]
    for item in items:
        checklists.add_item(made.id, ALICE, TASK_WRITERS, item, None, T0)

    def tick(n: int) -> None:
        user = (ALICE, BOB)[n % 2]
        checklists.change_item(made.id, items[n].id, user, TASK_WRITERS, {"done": True}, None, T0)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(tick, range(6)))
    read = _read(shared.backend, made.id)
    assert [i.done for i in read.checklist] == [True] * 6
    assert read.version == 1 + 6 + 6
