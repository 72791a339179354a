"""Occurrences: the CSV imports' memory of ids and row contents, ~20 bytes per value."""

from __future__ import annotations

import tracemalloc

from tasklane.logic.exchange.csv_rows import Occurrences

ROWS = 20_000
#: Digest, first row and count (16 bytes) and at most two slots of 4 bytes (kept a quarter
#: free, doubled when full), arrays over-allocating a little: 32 bytes is a ceiling.
MAX_BYTES_PER_VALUE = 32


def test_counts_and_first_rows() -> None:
    seen = Occurrences()
    assert seen.note("A-1", 2) == (1, 2)
    assert seen.note("A-2", 3) == (1, 3)
    assert seen.note("A-1", 7) == (2, 2)
    assert seen.note("A-1", 9) == (3, 2)
    assert seen.note("", 10) == (1, 10)
    assert seen.note("a-1", 11) == (1, 11)  # case matters, as in the file


def test_many_distinct_values_are_each_new_and_then_found_again() -> None:
    seen = Occurrences()
    assert all(seen.note(f"Ref-{n:05d}", n) == (1, n) for n in range(ROWS))
    assert all(seen.note(f"Ref-{n:05d}", ROWS + n) == (2, n) for n in range(ROWS))


def test_memory_grows_by_a_few_bytes_per_value_not_by_the_strings() -> None:
    values = [f"an id long enough to cost memory {n:06d}" for n in range(ROWS)]
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        seen = Occurrences()
        for row, value in enumerate(values):
            seen.note(value, row)
        held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert held / ROWS <= MAX_BYTES_PER_VALUE
