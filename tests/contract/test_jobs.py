"""The ``ExportStore`` and ``ImportStore`` contracts (tasklane.domain.ports.jobs), on every
implementation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from tasklane.domain.exchange.jobs import (
    Export,
    ExportProgress,
    ExportStatus,
    ExportSummary,
    Import,
    ImportProgress,
    ImportRecord,
    ImportStatus,
)
from tasklane.domain.exchange.model import ImportFormat
from tasklane.domain.exchange.report import ImportReport
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time
from tasklane.logic.exchange.exports import ACTIVE

from .conftest import ALICE, BOB, T0, Backend, owner

LATER = T0 + timedelta(minutes=5)
LAST = T0 + timedelta(minutes=9)
SUMMARY = ExportSummary(projects=1, tasks=40, files=3, file_bytes=900, missing_files=1, size=5000)


def export(status: ExportStatus = ExportStatus.queued, project_id: str | None = None) -> Export:
    stamp = format_time(T0)
    return Export(
        id=new_ulid(),
        project_id=project_id,
        status=status,
        created_at=stamp,
        updated_at=stamp,
        expires_at=format_time(T0 + timedelta(days=7)),
    )


def record(user_id: str = ALICE) -> ImportRecord:
    stamp = format_time(T0)
    view = Import(
        id=new_ulid(),
        format="todoist",
        file_name="tasks.csv",
        size=120,
        options={"format": "todoist", "time_zone": "Europe/Paris"},
        status=ImportStatus.awaiting_upload,
        created_at=stamp,
        updated_at=stamp,
        expires_at=format_time(T0 + timedelta(days=7)),
    )
    return ImportRecord(view=view, user_id=user_id, owner=owner(user_id))


# Exports -------------------------------------------------------------------------------------
def test_an_export_is_its_requesters_only(backend: Backend) -> None:
    exports = backend.exports()
    made = export(project_id="p1")
    exports.create_export(ALICE, made)
    assert exports.get_export(ALICE, made.id) == made
    assert exports.get_export(BOB, made.id) is None
    assert exports.list_exports(BOB, 10) == []
    # Another user's id reaches nothing: no change of state, no progress.
    assert exports.start_export(BOB, made.id, LATER) is None
    exports.finish_export(BOB, made.id, SUMMARY, None, LATER)
    assert exports.get_export(ALICE, made.id) == made


def test_an_export_id_is_created_once(backend: Backend) -> None:
    exports = backend.exports()
    made = export()
    exports.create_export(ALICE, made)
    with pytest.raises(ClientError):
        exports.create_export(ALICE, made.model_copy(update={"status": ExportStatus.ready}))
    assert exports.get_export(ALICE, made.id) == made


def test_exports_are_listed_newest_first_up_to_the_limit(backend: Backend) -> None:
    exports = backend.exports()
    made = [export() for _ in range(4)]
    for item in made:
        exports.create_export(ALICE, item)
    backend.imports().create_import(record())  # the same partition, another kind
    listed = exports.list_exports(ALICE, 3)
    assert [e.id for e in listed] == [e.id for e in reversed(made)][:3]


def test_the_active_exports_are_the_queued_and_running_ones(backend: Backend) -> None:
    """What ``ExportService.start`` counts against its limit of active exports."""
    exports = backend.exports()
    queued, running, ready, failed = export(), export(), export(), export()
    for item in (queued, running, ready, failed):
        exports.create_export(ALICE, item)
    exports.start_export(ALICE, running.id, LATER)
    for item in (ready, failed):
        exports.start_export(ALICE, item.id, LATER)
    exports.finish_export(ALICE, ready.id, SUMMARY, None, LAST)
    exports.finish_export(ALICE, failed.id, None, "the ZIP could not be written", LAST)
    active = {e.id for e in exports.list_exports(ALICE, 10) if e.status in ACTIVE}
    assert active == {queued.id, running.id}


def test_an_export_runs_once_and_a_redelivery_keeps_its_start(backend: Backend) -> None:
    exports = backend.exports()
    made = export()
    exports.create_export(ALICE, made)
    started = exports.start_export(ALICE, made.id, LATER)
    assert started is not None
    assert (started.status, started.started_at) == (ExportStatus.running, format_time(LATER))
    exports.export_progress(ALICE, made.id, ExportProgress(tasks=10, files=1), LATER)
    again = exports.start_export(ALICE, made.id, LAST)  # a redelivered job
    assert again is not None
    assert (again.started_at, again.updated_at) == (format_time(LATER), format_time(LAST))
    assert again.progress == ExportProgress(tasks=10, files=1)
    exports.finish_export(ALICE, made.id, SUMMARY, None, LAST)
    done = exports.get_export(ALICE, made.id)
    assert done is not None
    assert (done.status, done.summary, done.error) == (ExportStatus.ready, SUMMARY, None)
    assert done.finished_at == format_time(LAST)
    # A ready export shows everything it holds, whatever progress was last written.
    assert done.progress == ExportProgress(tasks=40, files=4)
    assert exports.start_export(ALICE, made.id, LAST) is None  # finished: nothing to do
    exports.export_progress(ALICE, made.id, ExportProgress(tasks=1), LAST)
    assert exports.get_export(ALICE, made.id) == done


def test_a_failed_export_keeps_its_error(backend: Backend) -> None:
    exports = backend.exports()
    made = export()
    exports.create_export(ALICE, made)
    exports.start_export(ALICE, made.id, LATER)
    exports.finish_export(ALICE, made.id, None, "too large", LAST)
    failed = exports.get_export(ALICE, made.id)
    assert failed is not None
    assert (failed.status, failed.error, failed.summary) == (ExportStatus.failed, "too large", None)
    assert exports.start_export(ALICE, made.id, LAST) is None


def test_progress_is_written_only_while_running(backend: Backend) -> None:
    exports = backend.exports()
    made = export()
    exports.create_export(ALICE, made)
    exports.export_progress(ALICE, made.id, ExportProgress(tasks=5), LATER)
    assert exports.get_export(ALICE, made.id) == made
    assert exports.start_export(ALICE, new_ulid(), LATER) is None  # no such export


# Imports -------------------------------------------------------------------------------------
def test_an_import_is_its_owners_only(backend: Backend) -> None:
    imports = backend.imports()
    made = record()
    imports.create_import(made)
    assert imports.get_import(ALICE, made.view.id) == made
    assert imports.get_import(BOB, made.view.id) is None
    assert imports.list_imports(BOB, 10) == []
    assert imports.queue_import(BOB, made.view.id, LATER) is False
    assert imports.start_import(BOB, made.view.id, LATER) is None
    assert imports.get_import(ALICE, made.view.id) == made


def test_an_import_id_is_created_once(backend: Backend) -> None:
    imports = backend.imports()
    made = record()
    imports.create_import(made)
    with pytest.raises(ClientError):
        imports.create_import(made)


def test_imports_are_listed_newest_first(backend: Backend) -> None:
    imports = backend.imports()
    made = [record() for _ in range(3)]
    for item in made:
        imports.create_import(item)
    backend.exports().create_export(ALICE, export())
    assert [r.view.id for r in imports.list_imports(ALICE, 2)] == [
        made[2].view.id,
        made[1].view.id,
    ]


def test_an_import_is_queued_once_after_its_upload(backend: Backend) -> None:
    imports = backend.imports()
    made = record()
    imports.create_import(made)
    assert imports.start_import(ALICE, made.view.id, LATER) is None  # not uploaded yet
    assert imports.queue_import(ALICE, made.view.id, LATER) is True
    assert imports.queue_import(ALICE, made.view.id, LATER) is False  # a second click
    queued = imports.get_import(ALICE, made.view.id)
    assert queued is not None
    assert (queued.view.status, queued.version) == (ImportStatus.queued, 2)
    assert imports.queue_import(ALICE, new_ulid(), LATER) is False


def test_an_import_runs_and_a_redelivery_keeps_its_start(backend: Backend) -> None:
    imports = backend.imports()
    made = record()
    imports.create_import(made)
    imports.queue_import(ALICE, made.view.id, T0)
    started = imports.start_import(ALICE, made.view.id, LATER)
    assert started is not None
    assert (started.view.status, started.view.started_at) == (
        ImportStatus.running,
        format_time(LATER),
    )
    assert started.owner == made.owner
    imports.import_progress(ALICE, made.view.id, ImportProgress(rows=8, tasks=6, skipped=1), LATER)
    again = imports.start_import(ALICE, made.view.id, LAST)
    assert again is not None
    assert again.view.started_at == format_time(LATER)
    assert again.view.progress == ImportProgress(rows=8, tasks=6, skipped=1)
    report = ImportReport(format=ImportFormat.todoist, projects=1, tasks=6, skipped=1)
    imports.finish_import(ALICE, made.view.id, report, None, LAST)
    done = imports.get_import(ALICE, made.view.id)
    assert done is not None
    assert (done.view.status, done.view.report, done.view.error) == (
        ImportStatus.done,
        report,
        None,
    )
    assert imports.start_import(ALICE, made.view.id, LAST) is None
    assert imports.queue_import(ALICE, made.view.id, LAST) is False


def test_a_failed_import_keeps_its_error(backend: Backend) -> None:
    imports = backend.imports()
    made = record()
    imports.create_import(made)
    imports.queue_import(ALICE, made.view.id, T0)
    imports.start_import(ALICE, made.view.id, LATER)
    imports.finish_import(ALICE, made.view.id, None, "the file is not UTF-8", LAST)
    failed = imports.get_import(ALICE, made.view.id)
    assert failed is not None
    assert (failed.view.status, failed.view.error) == (ImportStatus.failed, "the file is not UTF-8")
    assert failed.view.finished_at == format_time(LAST)
    imports.import_progress(ALICE, made.view.id, ImportProgress(rows=1), LAST)
    assert imports.get_import(ALICE, made.view.id) == failed
