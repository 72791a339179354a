"""``ExportService`` on the fakes: the limit of active exports, a project's access check, the
download link of a ready export."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import NotFound
from tasklane.domain.exchange.jobs import (
    MAX_ACTIVE_EXPORTS,
    ExportCreate,
    ExportStatus,
    ExportSummary,
    TooManyJobs,
    export_key,
)
from tasklane.domain.models import ProjectCreate
from tasklane.logic.exchange.exports import ExportService
from tasklane.logic.projects import ProjectService
from tasklane.settings import ExchangeSettings
from tests.fakes.files import InMemoryExchangeFiles
from tests.fakes.jobs import InMemoryExports
from tests.unit.conftest import Clock, Fakes

ALICE, BOB = "user-alice", "user-bob"
SUMMARY = ExportSummary(projects=1, tasks=2, files=0, file_bytes=0, missing_files=0, size=10)


@pytest.fixture
def store(fakes: Fakes) -> InMemoryExports:
    return InMemoryExports(fakes.table)


@pytest.fixture
def files() -> InMemoryExchangeFiles:
    return InMemoryExchangeFiles()


@pytest.fixture
def exports(
    store: InMemoryExports, projects: ProjectService, files: InMemoryExchangeFiles, clock: Clock
) -> ExportService:
    return ExportService(store, projects, files, ExchangeSettings(), clock=clock)


def test_a_user_has_at_most_three_active_exports(
    exports: ExportService, store: InMemoryExports, clock: Clock
) -> None:
    started = [exports.start(ALICE, ExportCreate()) for _ in range(MAX_ACTIVE_EXPORTS)]
    with pytest.raises(TooManyJobs) as refused:
        exports.start(ALICE, ExportCreate())
    assert refused.value.status == 429
    assert len(store.list_exports(ALICE, 10)) == MAX_ACTIVE_EXPORTS
    # Another user's exports do not count against Alice's, nor hers against theirs.
    assert exports.start(BOB, ExportCreate()).status is ExportStatus.queued
    # A running one still counts; a finished one (ready or failed) no longer does.
    store.start_export(ALICE, started[0].id, clock())
    with pytest.raises(TooManyJobs):
        exports.start(ALICE, ExportCreate())
    store.finish_export(ALICE, started[0].id, SUMMARY, None, clock())
    store.finish_export(ALICE, started[1].id, None, "failed", clock())
    assert exports.start(ALICE, ExportCreate()).status is ExportStatus.queued
    assert exports.start(ALICE, ExportCreate()).status is ExportStatus.queued
    with pytest.raises(TooManyJobs):
        exports.start(ALICE, ExportCreate())


def test_a_projects_export_needs_its_membership(
    exports: ExportService, projects: ProjectService
) -> None:
    mine = projects.create(ALICE, ProjectCreate(name="Work"))
    assert exports.start(ALICE, ExportCreate(project_id=mine.id)).project_id == mine.id
    with pytest.raises(NotFound):
        exports.start(BOB, ExportCreate(project_id=mine.id))
    assert exports.list(BOB) == []


def test_only_a_ready_exports_owner_gets_its_link(
    exports: ExportService, store: InMemoryExports, files: InMemoryExchangeFiles, clock: Clock
) -> None:
    made = exports.start(ALICE, ExportCreate())
    assert exports.get(ALICE, made.id).download is None
    with files.write(export_key(ALICE, made.id)) as upload:
        upload.write(b"zip")
    store.start_export(ALICE, made.id, clock())
    store.finish_export(ALICE, made.id, SUMMARY, None, clock())
    ready = exports.get(ALICE, made.id)
    assert ready.download is not None
    assert files.download(ready.download.url) == (b"zip", "tasklane-export-2025-03-01.zip")
    with pytest.raises(NotFound):
        exports.get(BOB, made.id)
    with pytest.raises(NotFound):
        exports.get(ALICE, "not-an-id")
