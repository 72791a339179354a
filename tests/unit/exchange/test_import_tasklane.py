"""Importing Tasklane's own tasks.json (the fixture is hand-written in the export format)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest

from tasklane.domain.exchange.model import ImportFormat, ImportRejected, Severity
from tasklane.domain.exchange.options import ImportOptions
from tasklane.logic.exchange.imports import dry_run, parse_import
from tasklane.settings import ImportLimits
from tests.unit.exchange.conftest import FIXTURES, Parsed, bytes_source, file_source

OPTIONS = ImportOptions(format=ImportFormat.tasklane)


def _parse(data: bytes | None = None, limits: ImportLimits | None = None) -> Parsed:
    source = bytes_source(data) if data is not None else file_source("tasks.json")
    return Parsed(parse_import(source, OPTIONS, limits or ImportLimits()))


def test_every_field_of_the_fixture_comes_back() -> None:
    parsed = _parse()
    assert [p.name for p in parsed.projects] == ["Launch 🚀", "Old ideas"]
    assert [p.archived for p in parsed.projects] == [False, True]
    post = parsed.task("Write the launch post")
    assert post.title == "Write the launch post — für alle"
    assert post.description == "First line\nSecond line\n\n- a list item"
    assert (post.status, post.priority) == ("in_progress", "high")
    assert post.due_at == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert post.due_all_day is False
    assert post.labels == ["marketing", "écrit"]
    assert [(c.text, c.done) for c in post.checklist] == [("Draft", True), ("Review", False)]
    (comment,) = post.comments
    assert (comment.body, comment.author) == ("Looks good.\nShip it!", "user-bob")
    assert comment.created_at == datetime(2026, 10, 4, 10, 0, tzinfo=UTC)
    assert post.origin is not None
    assert (post.origin.assignee_id, post.origin.updated_by, post.origin.version) == (
        "user-bob",
        "user-bob",
        3,
    )
    assert post.project_key == parsed.projects[0].key
    assert parsed.task("日本語").origin.completed_at == "2026-10-05T09:00:00.000Z"  # type: ignore[union-attr]
    assert parsed.task("An archived idea").archived is True


def test_a_task_in_a_project_the_file_lacks_is_an_error_row() -> None:
    parsed = _parse()
    (error,) = parsed.errors()
    assert (error.row, error.field, error.severity) == (4, "project_id", Severity.error)
    assert len(parsed.tasks) == 3


def test_the_same_file_gives_the_same_keys() -> None:
    first, second = _parse(), _parse()
    assert [t.key for t in first.tasks] == [t.key for t in second.tasks]
    assert len({t.key for t in first.tasks}) == 3


def test_a_json_file_of_another_kind_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(json.dumps({"tasks": []}).encode())
    assert caught.value.reason == "not_a_tasklane_export"
    assert caught.value.status == 422


def test_truncated_json_is_refused_before_any_task() -> None:
    data = (FIXTURES / "tasks.json").read_bytes()[:-40]
    items = []
    with pytest.raises(ImportRejected) as caught:
        items.extend(parse_import(bytes_source(data), OPTIONS, ImportLimits()))
    assert caught.value.reason == "malformed_json"
    assert items == []  # the first read covers the whole file


def test_wrong_types_are_row_errors_not_exceptions() -> None:
    doc = {
        "format": "tasklane-export",
        "version": 1,
        "projects": [{"id": "p1", "name": 5}, "not an object", {"name": "no id"}],
        "tasks": [
            7,
            {"id": "t1", "project_id": "p1", "title": ["x"]},
            {"id": "t2", "project_id": "p1", "title": "ok", "status": "blocked"},
            {"id": "t3", "project_id": "p1", "title": "ok", "due_at": "tomorrow"},
            {"id": "t4", "project_id": "p1", "title": "fine", "labels": "not a list"},
        ],
    }
    parsed = _parse(json.dumps(doc).encode())
    assert [p.name for p in parsed.projects] == ["Imported project"]
    assert [t.source_id for t in parsed.tasks] == ["t4"]
    fields = [(p.row, p.field) for p in parsed.errors()]
    assert fields == [
        (2, "projects.id"),
        (3, "projects.id"),
        (1, None),
        (2, "title"),
        (3, "status"),
        (4, "due_at"),
    ]


def test_dry_run_counts_and_lists_problems() -> None:
    report = dry_run(file_source("tasks.json"), OPTIONS, ImportLimits())
    assert (report.projects, report.tasks, report.archived_tasks) == (2, 3, 1)
    assert (report.comments, report.checklist_items, report.labels) == (1, 2, 3)
    assert (report.errors, report.warnings) == (1, 0)
    assert report.problems[0].row == 4
    assert report.preview[0].title.startswith("Write the launch post")
    assert report.preview[0].project == "Launch 🚀"
    assert report.rejected is None


def test_too_many_tasks_is_a_422_in_the_dry_run() -> None:
    report = dry_run(file_source("tasks.json"), OPTIONS, ImportLimits(max_rows=2))
    assert report.rejected is not None
    assert (report.rejected.status, report.rejected.code) == (422, "validation_failed")
    assert report.rejected.details == {"reason": "too_many_rows", "row": 3, "limit": 2}
    assert report.tasks == 2


def test_a_file_over_the_size_limit_is_a_413() -> None:
    report = dry_run(file_source("tasks.json"), OPTIONS, ImportLimits(max_bytes=1000))
    assert report.rejected is not None
    assert report.rejected.status == 413
    assert report.rejected.details == {"reason": "file_too_large", "limit": 1000}
    assert report.tasks == 0


class _OneWay(io.RawIOBase):
    """A stream that cannot seek, as an S3 GET's body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_export_zip_is_read_even_from_a_stream_that_cannot_seek() -> None:
    data = _zip({"tasks.json": (FIXTURES / "tasks.json").read_bytes(), "tasks.csv": b""})
    parsed = Parsed(parse_import(lambda: io.BufferedReader(_OneWay(data)), OPTIONS, ImportLimits()))
    assert len(parsed.tasks) == 3
    assert parsed.task("Write the launch post").attachments[0].file_name == "plan.pdf"


def test_a_zip_without_tasks_json_or_a_damaged_zip_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        _parse(_zip({"other.json": b"{}"}))
    assert caught.value.reason == "not_a_tasklane_export"
    damaged = bytearray(_zip({"tasks.json": (FIXTURES / "tasks.json").read_bytes()}))
    damaged[60:80] = b"\x00" * 20  # inside the compressed data
    with pytest.raises(ImportRejected) as caught:
        _parse(bytes(damaged))
    assert caught.value.reason in ("malformed_zip", "malformed_json")


def test_a_zip_bomb_stops_at_the_size_limit() -> None:
    bomb = _zip({"tasks.json": b'{"format": "tasklane-export", "x": "' + b"0" * 5_000_000})
    assert len(bomb) < 10_000
    report = dry_run(bytes_source(bomb), OPTIONS, ImportLimits(max_bytes=100_000))
    assert report.rejected is not None
    assert report.rejected.status == 413
