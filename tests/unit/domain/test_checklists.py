"""Checklists (tasklane.domain.checklists): item limits, placement by neighbours, progress,
the unticked copy for a next occurrence, and turning an item into a task."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tasklane.domain.checklists import (
    MAX_ITEM_TEXT,
    MAX_ITEMS,
    ChecklistFull,
    ChecklistItem,
    ChecklistItemCreate,
    ChecklistItemPatch,
    Placement,
    Progress,
    is_item_id,
    new_item,
    ordered,
    position_for,
    progress,
    task_fields,
    unticked,
)
from tasklane.domain.errors import ValidationFailed
from tasklane.domain.models import MAX_TITLE, TaskCreate


def build(texts: list[str]) -> list[ChecklistItem]:
    """A checklist made the way the API makes one: each new item appended."""
    items: list[ChecklistItem] = []
    for text in texts:
        items.append(new_item(items, ChecklistItemCreate(text=text)))
    return items


def texts(items: list[ChecklistItem]) -> list[str]:
    return [item.text for item in ordered(items)]


def move(items: list[ChecklistItem], item: ChecklistItem, **where: str) -> list[ChecklistItem]:
    position = position_for(items, Placement(**where), moving=item.id)
    return [
        other.model_copy(update={"position": position}) if other.id == item.id else other
        for other in items
    ]


def test_new_items_are_appended_in_order() -> None:
    items = build(["milk", "eggs", "bread"])
    assert texts(items) == ["milk", "eggs", "bread"]
    assert all(is_item_id(item.id) for item in items)
    assert len({item.id for item in items}) == 3


def test_an_item_can_be_added_before_or_after_another() -> None:
    items = build(["milk", "bread"])
    milk, _bread = ordered(items)
    items.append(new_item(items, ChecklistItemCreate(text="eggs", after=milk.id)))
    items.append(new_item(items, ChecklistItemCreate(text="flour", before=milk.id)))
    assert texts(items) == ["flour", "milk", "eggs", "bread"]


def test_moving_rewrites_the_moved_item_only() -> None:
    items = build(["a", "b", "c", "d"])
    a, b, c, d = ordered(items)
    moved = move(items, d, after=a.id)
    assert texts(moved) == ["a", "d", "b", "c"]
    assert [item.position for item in moved if item.id != d.id] == [
        a.position,
        b.position,
        c.position,
    ]
    assert texts(move(moved, a, before=d.id)) == ["a", "d", "b", "c"]  # already there
    assert texts(move(moved, a)) == ["d", "b", "c", "a"]  # to the end
    assert texts(move(moved, c, before=a.id)) == ["c", "a", "d", "b"]


def test_after_decides_when_both_neighbours_are_given() -> None:
    items = build(["a", "b", "c"])
    a, _b, c = ordered(items)
    # The client saw a, c adjacent; b was added meanwhile: the item goes right after a.
    items.append(new_item(items, ChecklistItemCreate(text="x", after=a.id, before=c.id)))
    assert texts(items) == ["a", "x", "b", "c"]
    with pytest.raises(ValidationFailed, match="wrong order"):
        position_for(items, Placement(after=c.id, before=a.id))


@pytest.mark.parametrize("field", ["before", "after"])
def test_a_neighbour_that_is_not_in_the_list_is_a_422(field: str) -> None:
    items = build(["a"])
    with pytest.raises(ValidationFailed, match=f"{field} names no item") as caught:
        position_for(items, Placement(**{field: "01j00000000000000000000000"}))
    assert caught.value.status == 422


def test_an_item_is_not_its_own_neighbour() -> None:
    items = build(["a", "b"])
    a = ordered(items)[0]
    with pytest.raises(ValidationFailed, match="next to itself"):
        position_for(items, Placement(after=a.id), moving=a.id)


def test_concurrent_adds_into_one_gap_tie_and_still_order_by_id() -> None:
    items = build(["a", "b"])
    a = ordered(items)[0]
    # Two users add after "a" at the same moment: both computed from the same list.
    first = new_item(items, ChecklistItemCreate(text="x", after=a.id))
    second = new_item(items, ChecklistItemCreate(text="y", after=a.id))
    assert first.position == second.position
    both = [*items, first, second]
    assert texts(both)[0] == "a"
    assert texts(both)[-1] == "b"
    # Adding between the tied two lands after both: the nearest place a key can say.
    tied_first = ordered(both)[1]
    third = new_item(both, ChecklistItemCreate(text="z", after=tied_first.id))
    assert texts([*both, third])[3:] == ["z", "b"]


def test_a_checklist_holds_at_most_a_hundred_items() -> None:
    items = build([f"item {n}" for n in range(MAX_ITEMS)])
    assert texts(items)[:3] == ["item 0", "item 1", "item 2"]
    with pytest.raises(ChecklistFull, match="at most 100") as caught:
        new_item(items, ChecklistItemCreate(text="one more"))
    assert (caught.value.status, caught.value.code) == (409, "checklist_full")


@pytest.mark.parametrize(
    ("text", "stored"),
    [("  buy milk  ", "buy milk"), ("x", "x"), ("é" * MAX_ITEM_TEXT, "é" * MAX_ITEM_TEXT)],
)
def test_item_text_is_one_trimmed_line(text: str, stored: str) -> None:
    assert ChecklistItemCreate(text=text).text == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "1-500 characters"),
        ("   ", "1-500 characters"),
        ("x" * (MAX_ITEM_TEXT + 1), "1-500 characters"),
        ("two\nlines", "one line"),
        ("bell\x07", "control characters"),
    ],
)
def test_bad_item_text_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ChecklistItemCreate(text=text)
    with pytest.raises(ValidationError, match=message):
        ChecklistItemPatch(text=text)


def test_inputs_refuse_unknown_fields_and_nulls() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        ChecklistItemCreate.model_validate({"text": "a", "rank": 1})
    # A position given by the client must be a key; it spares the server a read.
    with pytest.raises(ValidationError, match="fractional-indexing"):
        ChecklistItemCreate.model_validate({"text": "a", "position": "not a key"})
    placed = ChecklistItemCreate.model_validate({"text": "a", "position": "a0V"})
    assert (placed.needs_neighbours, placed.moves) == (False, True)
    assert ChecklistItemCreate(text="a", after="x").needs_neighbours
    assert ChecklistItemPatch(position="a1").changes() == {}
    assert ChecklistItemPatch(done=True).changes() == {"done": True}
    assert ChecklistItemPatch(text="new").changes() == {"text": "new"}
    assert ChecklistItemPatch().changes() == {}
    for field in ("text", "done"):
        with pytest.raises(ValidationError, match="cannot be null"):
            ChecklistItemPatch.model_validate({field: None})


def test_ticking_records_who_and_when_and_is_idempotent() -> None:
    item = build(["a"])[0]
    done = item.ticked(True, "ada", "2026-01-01T10:00:00.000Z")
    assert (done.done, done.done_by, done.done_at) == (True, "ada", "2026-01-01T10:00:00.000Z")
    # A second tick (another user, a retry) keeps the first.
    assert done.ticked(True, "bob", "2026-01-01T10:00:01.000Z") == done
    undone = done.ticked(False, "bob", "2026-01-01T10:00:02.000Z")
    assert (undone.done, undone.done_by, undone.done_at) == (False, None, None)


def test_progress_counts_ticked_items() -> None:
    items = build(["a", "b", "c"])
    items[0] = items[0].ticked(True, "ada", "2026-01-01T10:00:00.000Z")
    assert progress(items) == Progress(done=1, total=3)
    assert str(progress(items)) == "1/3"
    assert str(progress([])) == "0/0"


def test_the_next_occurrence_gets_the_same_list_unticked() -> None:
    items = build(["a", "b"])
    items[1] = items[1].ticked(True, "ada", "2026-01-01T10:00:00.000Z")
    copy = unticked(items)
    assert [(i.id, i.text, i.position) for i in copy] == [(i.id, i.text, i.position) for i in items]
    assert not any(item.done or item.done_by or item.done_at for item in copy)


def test_an_item_becomes_a_task() -> None:
    short = build(["call the plumber"])[0]
    assert task_fields(short) == {"title": "call the plumber", "description": ""}
    assert TaskCreate(**task_fields(short)).title == "call the plumber"

    long_text = ("word " * 120).strip()  # 599 characters
    long = ChecklistItem(
        id="01j00000000000000000000000", text=long_text[:MAX_ITEM_TEXT], position="a0"
    )
    fields = task_fields(long)
    assert len(fields["title"]) <= MAX_TITLE
    assert fields["title"].endswith("word…")
    assert fields["description"] == long.text
    assert TaskCreate(**fields).title == fields["title"]


def test_item_ids_are_ulids() -> None:
    assert is_item_id("01j00000000000000000000000")
    assert not is_item_id("01J00000000000000000000000")
    assert not is_item_id("../x")
