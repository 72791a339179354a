"""The board's keys and the move request (tasklane.domain.board)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from ulid import ULID

from tasklane.domain.board import (
    NeighboursMoved,
    TaskMove,
    creation_position,
    default_position,
    end_position,
    instant_position,
    position_between,
)
from tasklane.domain.ids import new_task_id, new_ulid
from tasklane.domain.positions import between, is_position

T0 = datetime(2026, 5, 4, 3, 2, 1, 123000, tzinfo=UTC)
PROJECT = new_ulid()


def _ulid_at(moment: datetime) -> str:
    return str(ULID.from_datetime(moment)).lower()


def test_creation_keys_are_keys_that_sort_like_the_ids() -> None:
    # Several ids in one millisecond (the generator's monotonic increments), and across
    # milliseconds, seconds and years: the keys sort exactly as the ids do.
    ulids = [new_ulid() for _ in range(200)]
    ulids += [_ulid_at(T0 + timedelta(milliseconds=n * 7919)) for n in range(200)]
    ulids += [_ulid_at(datetime(year, 1, 1, tzinfo=UTC)) for year in (1970, 2000, 2099, 3000)]
    keys = {ulid: creation_position(ulid) for ulid in ulids}
    assert all(is_position(key) for key in keys.values())
    assert sorted(ulids, key=keys.__getitem__) == sorted(ulids)
    assert len(set(keys.values())) == len(set(ulids))


def test_a_task_without_a_stored_position_has_its_ids_creation_key() -> None:
    task_id = new_task_id(PROJECT)
    assert default_position(task_id) == creation_position(task_id.split("-")[1])
    with pytest.raises(ValueError, match="not a task id"):
        default_position("not-a-task")


def test_creation_keys_sort_after_keys_placed_before_them() -> None:
    # A key placed at the end of a column earlier (the next integer after an older creation
    # key, or the first key of an empty column) sorts before a task created later.
    older = creation_position(_ulid_at(T0))
    later = creation_position(_ulid_at(T0 + timedelta(milliseconds=5)))
    assert between(older, None) < later
    assert between(None, None) < older


def test_the_end_of_a_column_is_after_its_last_key_and_every_creation_so_far() -> None:
    now_key = instant_position(int(T0.timestamp() * 1000))
    assert end_position(None, T0) == now_key
    created_before = creation_position(_ulid_at(T0 - timedelta(milliseconds=1)))
    assert end_position(created_before, T0) == now_key > created_before
    # A column whose last key is ahead of the clock (many moves to its end): after it.
    ahead = between(creation_position(_ulid_at(T0 + timedelta(seconds=1))), None)
    assert end_position(ahead, T0) > ahead


def test_neighbours_in_the_wrong_order_are_a_conflict() -> None:
    assert position_between("a0", "a1") == "a0V"
    with pytest.raises(NeighboursMoved) as raised:
        position_between("a1", "a0")
    assert (raised.value.status, raised.value.code) == (409, "neighbours_moved")


def _move(**fields: object) -> TaskMove:
    return TaskMove.model_validate({"status": "todo", **fields})


def test_a_move_names_its_column_and_optional_neighbours() -> None:
    assert _move().after is None
    move = _move(after="x", before="y", after_position="a0", before_position="a1")
    assert (move.after, move.before, move.after_position) == ("x", "y", "a0")
    assert _move(after="x", before="y", after_position="a1", before_position="a1").after == "x"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "blocked"}, "Input should be"),
        ({"after_position": "a0"}, "after_position needs after"),
        ({"before_position": "a0"}, "before_position needs before"),
        ({"after": "x", "before": "x"}, "must be different tasks"),
        ({"after": "x", "after_position": "a00"}, "must be a position"),
        ({"after": "x", "after_position": ""}, "must be a position"),
        ({"after": "x", "after_position": "a0" + "1" * 300}, "at most 256"),
        (
            {"after": "x", "before": "y", "after_position": "a2", "before_position": "a1"},
            "must not sort after",
        ),
        ({"position": "a0"}, "Extra inputs"),
    ],
)
def test_a_move_refuses_what_cannot_be_a_place(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _move(**fields)


def test_every_id_of_a_task_ids_shape_has_a_creation_key() -> None:
    """The greatest time 10 characters of Crockford base32 spell (no real ULID reaches it)."""
    first, last = "0" * 26, "z" * 26
    keys = [default_position(f"{'1' * 26}-{ulid}") for ulid in (first, last)]
    assert all(is_position(key) for key in keys)
    assert keys[0] < keys[1]
