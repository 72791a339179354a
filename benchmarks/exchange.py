"""Export and import, streamed: throughput and peak memory.

**Export.**
The export writer (``tasklane.logic.exchange.archive.write_export``) is fed synthetic tasks
(every field set: a 300-character description, labels, a checklist, comments) and
attachments whose bytes are made on demand, and writes to a sink that counts bytes and keeps
none, as an S3 multipart upload will. Peak memory is Python's own allocations
(``tracemalloc``), measured in a run of its own after a warm-up export; throughput in
another run without it. tasks.csv's in-memory buffer is the production one (1 MiB; both
task counts go past it, so both pay for it).

Targets (counts, not times):
- peak memory for 10,000 tasks at most 256 KiB above the peak for 1,000: what the export
  holds does not grow with the task count (tasks.csv goes to a spooled file past its buffer);
- peak memory per attachment at most 2 KiB: a ZIP's central directory keeps one entry per
  file, whatever its size, and nothing else per file stays (measured without tasks, 500 vs
  5,000 small files, so the peak falls where the directory is largest).

From these the report states the memory for 10,000 tasks and 1 GB of attachments (1,000
files of 1 MiB), extrapolated: peak(10,000 tasks) + 1,000 x the per-file cost.

**Import.** A generic CSV (with an id column) and a Trello board of 1,000 and 10,000 rows,
made here, go through ``parse_import``; the items are counted and dropped, as the import
worker drops each after writing it. Target: peak memory for 10,000 rows at most 256 KiB
above the peak for 1,000 (rows are never held together; a CSV keeps ~20 bytes per row to
find a repeated id or row, ``csv_rows.Occurrences``: ~176 KiB of the 9,000 rows between);
throughput reported.
"""

from __future__ import annotations

import csv
import io
import json
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from benchmarks.markdown import checks
from benchmarks.results import Check, Section
from tasklane.domain.exchange.export import (
    ExportAttachment,
    ExportChecklistItem,
    ExportComment,
    ExportHeader,
    ExportProject,
    ExportTask,
    attachment_path,
)
from tasklane.domain.exchange.model import ImportFormat
from tasklane.domain.exchange.options import ColumnMapping, ImportOptions
from tasklane.domain.models import Priority, Status
from tasklane.logic.exchange.archive import SPOOL_BYTES, ExportFile, write_export
from tasklane.logic.exchange.imports import parse_import
from tasklane.settings import ImportLimits

KIB = 1024
MIB = 1024 * KIB
PROJECT = "01jc0000000000000000000001"
SMALL, LARGE = 1_000, 10_000
FILES_FEW, FILES_MANY, FILE_BYTES = 500, 5_000, 4 * KIB
MAX_GROWTH_TASKS = 256 * KIB
MAX_PER_FILE = 2 * KIB
HEADER = ExportHeader(exported_at="2026-11-30T08:00:00.000Z", exported_by="user-bench")
NOW = datetime(2026, 11, 30, tzinfo=UTC)
TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit — ünïcödé. " * 5)[:300]


class CountingSink:
    """Keeps nothing: counts what an S3 multipart upload would be sent."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes, /) -> int:
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        return None


def synthetic_tasks(count: int) -> Iterator[ExportTask]:
    for number in range(count):
        yield ExportTask(
            id=f"{PROJECT}-{number:026d}", project_id=PROJECT, title=f"Task {number}: ship it",
            description=TEXT, status=Status.in_progress, priority=Priority.high,
            due_at="2026-12-01T16:00:00.000Z", labels=["marketing", "q4"],
            created_at="2026-10-03T09:00:00.000Z", updated_at="2026-10-04T09:00:00.000Z",
            completed_at=None, created_by="user-a", updated_by="user-b", assignee_id="user-b",
            version=3,
            checklist=[ExportChecklistItem(text=f"Step {i}", done=i == 0) for i in range(3)],
            comments=[
                ExportComment(id=f"c{number}-{i}", author_id="user-b", body=TEXT[:120],
                              created_at="2026-10-04T10:00:00.000Z",
                              updated_at="2026-10-04T10:00:00.000Z", version=1)
                for i in range(2)
            ],
            attachments=[
                ExportAttachment(id=f"a{number}", file_name="plan.pdf", size=FILE_BYTES,
                                 content_type="application/pdf",
                                 created_at="2026-10-03T09:30:00.000Z", created_by="user-a",
                                 path=attachment_path(f"{PROJECT}-{number:026d}",
                                                      f"a{number}", "plan.pdf"))
            ],
        )  # fmt: skip


def _chunks(size: int) -> Iterable[bytes]:
    block = bytes(range(256)) * (16 * KIB // 256)
    for start in range(0, size, len(block)):
        yield block[: min(len(block), size - start)]


def synthetic_files(count: int, size: int = FILE_BYTES) -> Iterator[ExportFile]:
    for number in range(count):
        path = attachment_path(f"{PROJECT}-{number:026d}", f"a{number}", "plan.pdf")
        yield ExportFile(path, size, lambda: _chunks(size), NOW)


def _project() -> list[ExportProject]:
    return [
        ExportProject(id=PROJECT, name="Bench", description="", is_inbox=False,
                      owner_id="user-a", created_at="2026-10-01T09:00:00.000Z",
                      updated_at="2026-10-01T09:00:00.000Z", version=1)
    ]  # fmt: skip


def peak_bytes(tasks: int, files: int = 0, spool_bytes: int = SPOOL_BYTES) -> int:
    """Peak traced allocation while exporting ``tasks`` tasks and ``files`` files."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        write_export(
            CountingSink(),
            HEADER,
            _project(),
            synthetic_tasks(tasks),
            synthetic_files(files),
            spool_bytes=spool_bytes,
        )
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def _throughput(tasks: int) -> tuple[float, int]:
    sink = CountingSink()
    started = time.perf_counter()
    write_export(sink, HEADER, _project(), synthetic_tasks(tasks), ())
    return tasks / (time.perf_counter() - started), sink.bytes


def csv_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Ref", "Task", "Notes", "State", "Prio", "Due", "Tags", "List"])
    for n in range(rows):
        writer.writerow([f"T-{n}", f"Task {n} ünïcödé", "Line one\nLine two " * 5, "todo",
                         "high", "2026-12-01", "a, b", f"Project {n % 5}"])  # fmt: skip
    return out.getvalue().encode()


def trello_file(cards: int) -> bytes:
    board = {
        "id": "board-1", "name": "Board", "labels": [{"id": "x", "name": "Bug"}],
        "lists": [{"id": "l1", "name": "To Do"}, {"id": "l2", "name": "Done"}],
        "cards": [
            {"id": f"c{n}", "name": f"Card {n}", "desc": "desc " * 30, "idList": "l1",
             "idLabels": ["x"], "due": "2026-12-01T10:00:00.000Z"}
            for n in range(cards)
        ],
    }  # fmt: skip
    return json.dumps(board).encode()


IMPORTS: dict[str, tuple[Callable[[int], bytes], ImportOptions]] = {
    "generic CSV": (
        csv_file,
        ImportOptions(
            format=ImportFormat.csv,
            mapping=ColumnMapping(
                id="Ref",
                title="Task",
                description="Notes",
                status="State",
                priority="Prio",
                due="Due",
                labels="Tags",
                project="List",
            ),
        ),
    ),
    "Trello board": (trello_file, ImportOptions(format=ImportFormat.trello)),
}
IMPORT_LIMITS = ImportLimits(max_rows=100_000, max_bytes=100 * MIB)


def import_run(data: bytes, options: ImportOptions, trace: bool) -> tuple[int, float, int]:
    """(items, seconds, peak bytes or 0) of one import whose items are dropped as they come."""
    if trace:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    items = sum(1 for _ in parse_import(lambda: io.BytesIO(data), options, IMPORT_LIMITS))
    seconds = time.perf_counter() - started
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    return items, seconds, peak


def _imports(section: Section) -> None:
    results: dict[str, dict[str, float]] = {}
    for name, (make, options) in IMPORTS.items():
        import_run(make(50), options, trace=True)  # warm-up
        peaks, rates = {}, {}
        for rows in (SMALL, LARGE):
            data = make(rows)
            _, seconds, _ = import_run(data, options, trace=False)
            peaks[rows] = import_run(data, options, trace=True)[2]
            rates[rows] = rows / seconds
        growth = peaks[LARGE] - peaks[SMALL]
        section.checks += [
            Check(f"import {name}: peak memory, {SMALL:,} / {LARGE:,} rows",
                  f"{peaks[SMALL] / KIB:.0f} / {peaks[LARGE] / KIB:.0f} KiB"),
            Check(f"import {name}: growth from {SMALL:,} to {LARGE:,} rows",
                  f"{growth / KIB:.0f} KiB", f"≤ {MAX_GROWTH_TASKS // KIB} KiB",
                  growth <= MAX_GROWTH_TASKS),
            Check(f"import {name}: throughput, {LARGE:,} rows", f"{rates[LARGE]:,.0f} rows/s",
                  note=f"file {len(make(LARGE)) / MIB:.1f} MiB"),
        ]  # fmt: skip
        results[name] = {"peak_1000": peaks[SMALL], "peak_10000": peaks[LARGE],
                         "rows_per_second_10000": round(rates[LARGE])}  # fmt: skip
    section.data["imports"] = results


def run() -> Section:
    section = Section("exchange", "Export and import (streamed)")
    peak_bytes(
        100, 10
    )  # warm-up: first-use caches (pydantic serializers, codecs) are not the export's
    small, large = peak_bytes(SMALL), peak_bytes(LARGE)
    # Without tasks, the peak falls in the files' part, where the directory grows.
    few, many = peak_bytes(0, FILES_FEW), peak_bytes(0, FILES_MANY)
    per_file = max(0, many - few) / (FILES_MANY - FILES_FEW)
    rate, archive_bytes = _throughput(LARGE)
    section.checks += [
        Check(f"peak memory, {SMALL:,} tasks", f"{small / KIB:.0f} KiB"),
        Check(f"peak memory, {LARGE:,} tasks", f"{large / KIB:.0f} KiB"),
        Check(
            f"growth from {SMALL:,} to {LARGE:,} tasks", f"{(large - small) / KIB:.0f} KiB",
            f"≤ {MAX_GROWTH_TASKS // KIB} KiB", large - small <= MAX_GROWTH_TASKS,
        ),
        Check(
            "peak memory per attachment (ZIP directory entry)", f"{per_file:.0f} B",
            f"≤ {MAX_PER_FILE // KIB} KiB", per_file <= MAX_PER_FILE,
            note=f"{FILES_FEW:,} vs {FILES_MANY:,} files of {FILE_BYTES // KIB} KiB",
        ),
        Check(
            f"estimate: {LARGE:,} tasks + 1 GB of attachments (1,000 x 1 MiB)",
            f"{(large + 1000 * per_file) / MIB:.1f} MiB",
            note="peak(10,000 tasks) + 1,000 x per-file cost; plus the interpreter and "
            "the S3 part buffer (8 MiB) in the worker",
        ),
        Check(f"throughput, {LARGE:,} tasks", f"{rate:,.0f} tasks/s",
              note=f"archive {archive_bytes / MIB:.1f} MiB (tasks.json + tasks.csv)"),
    ]  # fmt: skip
    _imports(section)
    section.data["export"] = {
        "peak_bytes": {"tasks_1000": small, "tasks_10000": large, "files_500": few,
                       "files_5000": many},
        "per_file_bytes": round(per_file),
        "tasks_per_second": round(rate),
        "archive_bytes_10000_tasks": archive_bytes,
    }  # fmt: skip
    return section


def render(section: Section) -> list[str]:
    out = [
        "Export: `write_export` (tasks.json + tasks.csv + attachments) into a sink that "
        "cannot seek and keeps nothing, as an S3 multipart upload. Import: `parse_import` of "
        "a generated file, items dropped as they come. Peak = Python allocations "
        "(tracemalloc) during one run, after a warm-up.",
        "",
    ]
    return out + checks(section.checks)


if __name__ == "__main__":
    for check in run().checks:
        print(check.name, check.measured, check.target, check.passed)
