"""The export ZIP, streamed to any writable sink (a file, or S3 multipart parts later).

Python's ``zipfile`` writes to a sink that cannot seek: each member's sizes go in a data
descriptor after its data, and the central directory at the end, so nothing is rewritten
and the archive is never held. What memory holds, whatever the number of tasks:

- one task (the iterator's current one) and the JSON and CSV writers' buffers;
- the compressor's state (~300 KiB for deflate) and one attachment chunk at a time;
- ``tasks.csv`` while ``tasks.json`` is written (tasks are read once, and a ZIP member must
  be written whole): in a spooled temporary file that moves to disk past ``spool_bytes``;
- the central directory's entries: a few hundred bytes per member (attachments), not per
  task.

Members: ``tasks.json``, ``tasks.csv``, ``attachments/<task id>/<attachment id>-<name>``,
and ``missing-files.txt`` when a file disappeared between listing and reading.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from tasklane.domain.exchange.export import (
    TASKS_CSV,
    TASKS_JSON,
    ExportHeader,
    ExportProject,
    ExportTask,
)
from tasklane.logic.exchange.export_csv import TasksCsvWriter
from tasklane.logic.exchange.export_json import TasksJsonWriter

MISSING_FILES = "missing-files.txt"
#: tasks.csv stays in memory up to this size, then moves to a temporary file.
SPOOL_BYTES = 1024 * 1024
COPY_BYTES = 256 * 1024


class Sink(Protocol):
    """Where the archive goes: ``write`` and ``flush``; no ``seek`` or ``tell`` needed."""

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...


class FileUnavailable(Exception):
    """Raised by :attr:`ExportFile.open` when the file is gone (deleted since it was listed):
    the export goes on without it."""


@dataclass(frozen=True, slots=True)
class ExportFile:
    path: str
    #: The size the metadata says: decides whether the member needs ZIP64 sizes.
    size: int
    #: Called when the file's turn comes; yields its bytes in chunks (an S3 GET's body).
    open: Callable[[], Iterable[bytes]]
    modified: datetime
    #: Deflate it (text); already-compressed types (images, PDF, ZIP) are stored as they are.
    compress: bool = False


@dataclass(slots=True)
class ExportResult:
    projects: int = 0
    tasks: int = 0
    files: int = 0
    file_bytes: int = 0
    missing: list[str] = field(default_factory=list)


def _zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    utc = when.astimezone(UTC)
    if utc.year < 1980:  # the ZIP format's epoch
        return (1980, 1, 1, 0, 0, 0)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _member(name: str, when: datetime, compress: bool, size: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_zip_time(when))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.file_size = size  # only read to choose ZIP64; the real size is counted
    info.external_attr = 0o644 << 16
    return info


def write_export(
    sink: Sink,
    header: ExportHeader,
    projects: Iterable[ExportProject],
    tasks: Iterable[ExportTask],
    files: Iterable[ExportFile] = (),
    *,
    spool_bytes: int = SPOOL_BYTES,
    on_progress: Callable[[ExportResult], None] | None = None,
    progress_every: int = 500,
) -> ExportResult:
    """Write the whole export to ``sink``; ``on_progress`` hears every ``progress_every``
    tasks and files (for ``GET /exports/{id}``).

    If it raises, ``zipfile`` has still closed the archive, so what the sink holds looks
    like a ZIP but is not the export: abort the multipart upload, never complete it."""
    result = ExportResult()
    when = datetime.fromisoformat(header.exported_at)
    project_list = list(projects)  # a user's projects: few, and tasks.csv names them
    result.projects = len(project_list)
    names = {p.id: p.name for p in project_list}
    with (
        # typeshed asks for close() too, which ZipFile never calls on a file it was given.
        zipfile.ZipFile(sink, "w", allowZip64=True) as archive,  # type: ignore[call-overload]
        tempfile.SpooledTemporaryFile(max_size=spool_bytes) as spool,
    ):
        csv_text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        csv_writer = TasksCsvWriter(csv_text, names)
        with (
            archive.open(_member(TASKS_JSON, when, True), "w", force_zip64=True) as member,
            io.TextIOWrapper(member, encoding="utf-8", newline="") as json_text,
        ):
            json_writer = TasksJsonWriter(json_text)
            json_writer.begin(header, project_list)
            for task in tasks:
                json_writer.task(task)
                csv_writer.task(task)
                result.tasks += 1
                if on_progress and result.tasks % progress_every == 0:
                    on_progress(result)
            json_writer.end()
        csv_text.flush()
        spool.seek(0)
        with archive.open(_member(TASKS_CSV, when, True), "w", force_zip64=True) as member:
            shutil.copyfileobj(spool, member, COPY_BYTES)
        csv_text.detach()
        for file in files:
            _add_file(archive, file, result)
            if on_progress and (result.files + len(result.missing)) % progress_every == 0:
                on_progress(result)
        if result.missing:
            text = "Files listed in tasks.json that could not be read at export time:\n"
            archive.writestr(
                _member(MISSING_FILES, when, True), text + "\n".join(result.missing) + "\n"
            )
    return result


def _add_file(archive: zipfile.ZipFile, file: ExportFile, result: ExportResult) -> None:
    try:
        chunks = iter(file.open())
        first = next(chunks, b"")
    except FileUnavailable:
        result.missing.append(file.path)
        return
    with archive.open(_member(file.path, file.modified, file.compress, file.size), "w") as member:
        member.write(first)
        written = len(first)
        for chunk in chunks:
            member.write(chunk)
            written += len(chunk)
    result.files += 1
    result.file_bytes += written
