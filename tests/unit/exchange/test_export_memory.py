"""The export's memory does not grow with the task count (a count, not a timer)."""

from __future__ import annotations

from benchmarks.exchange import peak_bytes

KIB = 1024


def test_peak_memory_is_the_same_for_500_and_2500_tasks() -> None:
    peak_bytes(50, 5)  # warm-up: first-use caches are not the export's
    # A small tasks.csv buffer, so both exports go past it and pay for it alike.
    small = peak_bytes(500, spool_bytes=32 * KIB)
    large = peak_bytes(2_500, spool_bytes=32 * KIB)
    assert large - small <= 128 * KIB, (small, large)


def test_each_attachment_adds_only_its_directory_entry() -> None:
    peak_bytes(10, 5)
    few, many = peak_bytes(0, 200), peak_bytes(0, 1_200)
    per_file = (many - few) / 1_000
    assert 0 < per_file <= 2 * KIB, (few, many)
