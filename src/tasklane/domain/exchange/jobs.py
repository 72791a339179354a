"""Export and import jobs: what the API answers about them, what the table keeps, and the
messages that start their workers.

A job is asked for in a request (``POST /exports``, ``POST /imports/{id}/start``), kept as
an item in the requester's partition, and run by a worker function from its queue. The
worker moves the item through its states and writes its progress on it; clients poll
``GET /exports/{id}`` or ``GET /imports/{id}``. Only the requester ever sees a job: another
user's id answers 404.
"""

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from tasklane.domain.attachments import MAX_FILE_NAME_INPUT, FileSize, UploadForm
from tasklane.domain.base import Model
from tasklane.domain.errors import TasklaneError
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.exchange.report import ImportReport
from tasklane.domain.models import Person
from tasklane.domain.zones import TimeZone

_ULID = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")
#: Exports a user may have queued or running at once (each reads every task they can see).
MAX_ACTIVE_EXPORTS = 3
#: The jobs ``GET /exports`` and ``GET /imports`` list: the newest.
LISTED_JOBS = 20
#: Problems kept with a finished import (the dry run lists up to 1,000).
STORED_PROBLEMS = 100


def is_job_id(value: str) -> bool:
    return bool(_ULID.fullmatch(value))


def export_key(user_id: str, export_id: str) -> str:
    """Ids only: the object's key says nothing a user typed."""
    return f"exports/{user_id}/{export_id}.zip"


def import_key(user_id: str, import_id: str) -> str:
    return f"imports/{user_id}/{import_id}"


class TooManyJobs(TasklaneError):
    status, code = 429, "too_many_jobs"


# Exports -------------------------------------------------------------------------------------


class ExportStatus(StrEnum):
    queued = "queued"
    running = "running"
    ready = "ready"
    failed = "failed"


class ExportCreate(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    project_id: Annotated[str, Field(max_length=64)] | None = Field(
        default=None,
        description="The project to export; omitted or null: every project you can read.",
    )


class ExportProgress(Model):
    tasks: int = 0
    files: int = 0


class ExportSummary(Model):
    projects: int
    tasks: int
    files: int
    file_bytes: int
    missing_files: int = Field(description="Files that vanished while the export ran.")
    size: int = Field(description="The ZIP's size in bytes.")


class ExportDownload(Model):
    url: str = Field(description="A presigned S3 GET of the ZIP; short-lived.")
    expires_at: str


class Export(Model):
    id: str
    project_id: str | None = Field(default=None, description="null: every project you can read.")
    status: ExportStatus
    created_at: str
    updated_at: str
    started_at: str | None = None
    finished_at: str | None = None
    expires_at: str = Field(description="When the ZIP (and this record) are deleted.")
    progress: ExportProgress = Field(default_factory=ExportProgress)
    summary: ExportSummary | None = None
    error: str | None = None
    download: ExportDownload | None = Field(
        default=None, description="Set while the export is ready; ask again for a new link."
    )


class ExportList(Model):
    items: list[Export]


class ExportJob(Model):
    """The export queue's message: which export to run, for whom."""

    id: str
    user_id: str

    @property
    def kind(self) -> str:
        return "export"


# Imports -------------------------------------------------------------------------------------


class ImportStatus(StrEnum):
    #: The upload form was handed out; the file may or may not be there yet.
    awaiting_upload = "awaiting_upload"
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ImportCreate(ImportOptions):
    """The import's options, where it goes, and the file the upload form is made for."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    time_zone: TimeZone | None = Field(  # type: ignore[assignment]
        default=None,
        description="For dates without an offset; omitted: your profile's time zone.",
    )
    project_id: Annotated[str, Field(max_length=64)] | None = Field(
        default=None,
        description="An existing project (yours, or one you may edit) to import every task "
        "into; omitted: each project in the file becomes a new project of yours.",
    )
    file_name: str = Field(min_length=1, max_length=MAX_FILE_NAME_INPUT)
    size: FileSize = Field(description="The file's exact size in bytes; the upload must have it.")

    def options(self, default_time_zone: str) -> ImportOptions:
        return ImportOptions(
            format=self.format,
            time_zone=self.time_zone or default_time_zone,
            all_day_time=self.all_day_time,
            project_name=self.project_name,
            mapping=self.mapping,
        )


class ImportProgress(Model):
    rows: int = Field(default=0, description="Projects, tasks and problems read so far.")
    tasks: int = Field(default=0, description="Tasks created so far.")
    skipped: int = Field(default=0, description="Tasks an earlier run created already.")


class Import(Model):
    id: str
    format: str
    file_name: str
    size: int
    project_id: str | None = Field(default=None, description="The destination; null: new projects.")
    options: dict[str, Any] = Field(description="The options the import runs with.")
    status: ImportStatus
    created_at: str
    updated_at: str
    started_at: str | None = None
    finished_at: str | None = None
    expires_at: str = Field(description="When the uploaded file (and this record) go.")
    progress: ImportProgress = Field(default_factory=ImportProgress)
    report: ImportReport | None = Field(
        default=None,
        description=f"Once done: what was created and every row's problem (the first "
        f"{STORED_PROBLEMS}; the counts count them all).",
    )
    error: str | None = None


class ImportUpload(Model):
    """``POST /imports``: the import and the form to send its file with (a presigned S3
    POST, as for attachments)."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    import_: Import = Field(alias="import")
    upload: UploadForm


class ImportList(Model):
    items: list[Import]


class ImportJob(Model):
    """The import queue's message."""

    id: str
    user_id: str

    @property
    def kind(self) -> str:
        return "import"


class ImportRecord(Model):
    """What the table holds about an import besides its public view."""

    view: Import
    user_id: str
    #: Who imports, for the projects it creates (their membership names them).
    owner: Person
    version: int = 1
