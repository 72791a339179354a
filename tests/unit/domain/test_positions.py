"""Order keys (tasklane.domain.positions): every key sorts where it was placed, keys stay
short under the usual edits, and they match the npm ``fractional-indexing`` package's."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasklane.domain.positions import (
    FIRST,
    InvalidPosition,
    between,
    is_position,
    key_at,
    spread,
)

#: What npm ``fractional-indexing`` 4.0.0 answers for these neighbours (generateKeyBetween),
#: so the web app can place an item optimistically exactly where the server will.
JAVASCRIPT_KEYS = [
    (None, None, "a0"),
    ("a0", None, "a1"),
    (None, "a0", "Zz"),
    ("a1", "a2", "a1V"),
    ("a0", "a1", "a0V"),
    ("az", None, "b00"),
    ("Zz", None, "a0"),
    (None, "b00", "az"),
    (None, "Z0", "Yzz"),
    ("a0V", None, "a1"),
    ("a0", "a0V", "a0G"),
    ("a0V", "a1", "a0l"),
    ("a1", "b00", "a2"),
    ("z" * 27, None, "z" * 27 + "V"),
    ("a0z", "a1", "a0zV"),
    ("a0zzz", "a1", "a0zzzV"),
    ("Zz", "a0", "ZzV"),
    ("a0K", "a0L", "a0KV"),
    ("b0z", "b10", "b0zV"),
]


@pytest.mark.parametrize(("low", "high", "expected"), JAVASCRIPT_KEYS)
def test_the_same_keys_as_the_javascript_package(
    low: str | None, high: str | None, expected: str
) -> None:
    assert between(low, high) == expected


@pytest.mark.parametrize(
    ("low", "high", "count", "expected"),
    [
        (None, None, 3, ["a0", "a1", "a2"]),
        ("a1", "a2", 3, ["a1G", "a1V", "a1l"]),
        (None, "a0", 3, ["Zx", "Zy", "Zz"]),
    ],
)
def test_spread_matches_the_javascript_package(
    low: str | None, high: str | None, count: int, expected: list[str]
) -> None:
    assert spread(low, high, count) == expected


def _insert_randomly(seed: int, operations: int) -> list[str]:
    """A list edited at random places; returns the keys in list order."""
    rng = random.Random(seed)
    keys: list[str] = []
    for _ in range(operations):
        index = rng.randint(0, len(keys))
        low = keys[index - 1] if index else None
        high = keys[index] if index < len(keys) else None
        key = between(low, high)
        assert low is None or low < key
        assert high is None or key < high
        keys.insert(index, key)
    return keys


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_inserts_keep_list_order(seed: int) -> None:
    keys = _insert_randomly(seed, 2000)
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert all(is_position(key) for key in keys)
    # Random places spread the keys: none grows long.
    assert max(map(len, keys)) <= 12


def test_appending_grows_keys_logarithmically() -> None:
    keys = [FIRST]
    for _ in range(10_000):
        keys.append(between(keys[-1], None))
    assert keys == sorted(keys)
    assert max(map(len, keys)) == 4  # "a0".."az", "b00".."bzz", "c000"...


def test_prepending_grows_keys_logarithmically() -> None:
    keys = [FIRST]
    for _ in range(10_000):
        keys.insert(0, between(None, keys[0]))
    assert keys == sorted(keys)
    assert max(map(len, keys)) == 4


def test_inserting_into_the_same_gap_again_and_again() -> None:
    # Always "right after the first item": the worst case, one character per ~6 inserts.
    first, high = FIRST, between(FIRST, None)
    for _ in range(100):
        high = between(first, high)
    assert first < high
    assert len(high) <= 2 + 100 // 5


def test_keys_sort_as_bytes_too() -> None:
    # DynamoDB compares sort keys as UTF-8 bytes; JavaScript as UTF-16 units: all ASCII here.
    keys = _insert_randomly(4, 300)
    assert sorted(keys, key=lambda k: k.encode()) == keys


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60))
def test_any_sequence_of_places_keeps_order(places: list[int]) -> None:
    keys: list[str] = []
    for place in places:
        index = place % (len(keys) + 1)
        keys.insert(
            index,
            between(keys[index - 1] if index else None, keys[index] if index < len(keys) else None),
        )
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=200))
def test_spread_gives_count_ordered_keys_strictly_inside(count: int, seed: int) -> None:
    low, high = sorted(random.Random(seed).sample(_insert_randomly(seed, 20), 2))
    keys = spread(low, high, count)
    assert len(keys) == count
    assert [low, *keys, high] == sorted({low, *keys, high})


def test_spread_towards_the_ends_gives_consecutive_integers() -> None:
    assert spread("a5", None, 3) == ["a6", "a7", "a8"]
    assert spread(None, "a5", 2) == ["a3", "a4"]
    assert spread(None, None, 0) == []
    with pytest.raises(ValueError, match="negative"):
        spread(None, None, -1)


@pytest.mark.parametrize(
    ("low", "high"),
    [("a1", "a1"), ("a2", "a1"), ("b00", "a0")],
)
def test_neighbours_in_the_wrong_order_are_refused(low: str, high: str) -> None:
    with pytest.raises(InvalidPosition, match="does not sort before"):
        between(low, high)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "empty"),
        ("0a", "cannot start"),
        ("!", "cannot start"),
        ("b0", "too short"),
        ("a", "too short"),
        ("a0-", "outside"),
        ("a0é", "outside"),
        ("a0V0", "zero"),
        ("A" + "0" * 26, "reserved"),
    ],
)
def test_keys_we_did_not_make_are_refused(key: str, reason: str) -> None:
    assert not is_position(key)
    with pytest.raises(InvalidPosition, match=reason):
        between(key, None)
    with pytest.raises(InvalidPosition, match=reason):
        between(None, key)


def test_ties_are_placed_after_the_tied_group() -> None:
    # Two writers dropped different items into the gap (a0, a1) at once: both got a0V.
    tied = between("a0", "a1")
    key = between(tied, "a1")  # the tied key and the next different one
    assert tied < key < "a1"


def test_the_extreme_ends_still_have_room() -> None:
    smallest_integer_plus_one = "A" + "0" * 25 + "1"
    before = between(None, smallest_integer_plus_one)
    assert before < smallest_integer_plus_one
    assert is_position(before)
    assert is_position(between(None, before))
    largest = "z" * 27
    assert between(largest, None) > largest


def test_key_at_places_an_item_at_an_index() -> None:
    keys = spread(None, None, 3)  # a0 a1 a2
    assert key_at(keys, 0) < keys[0]
    assert keys[0] < key_at(keys, 1) < keys[1]
    assert keys[2] < key_at(keys, 3)
    assert key_at([], 0) == FIRST
    for bad in (-1, 4):
        with pytest.raises(IndexError, match="outside"):
            key_at(keys, bad)


def test_key_at_goes_after_a_tied_group() -> None:
    # Items 1 and 2 got the same key from two concurrent writers.
    keys = ["a0", "a0V", "a0V", "a1"]
    placed = key_at(keys, 2)  # between the tied two: the nearest place is after both
    assert "a0V" < placed < "a1"
    assert "a0" < key_at(keys, 1) < "a0V"
    assert key_at(["a0", "a0"], 1) > "a0"
