"""Imports, as the API offers them: an upload form, a dry run, the real run, its report.

1. ``create``: the import's options and an upload form for its file (a presigned POST to
   the exchange bucket, pinned to the declared size, as attachment forms are);
2. the browser sends the file to S3;
3. ``dry_run`` (as often as wanted): reads the file and answers what the import would
   create and every row's problem; a file that cannot be read on is refused as the import
   would refuse it (413 or 422, with the row or the limit);
4. ``start``: queues the real run for the import worker
   (:mod:`tasklane.logic.exchange.import_run`), once.

S3 enforces nothing locally (moto), so the object's size is checked before each read: a
file larger than the limit is refused before a byte of it is parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import BinaryIO

from tasklane.domain.attachments import UploadForm, UploadRejected
from tasklane.domain.errors import Conflict, Forbidden, NotFound, TasklaneError
from tasklane.domain.exchange.jobs import (
    LISTED_JOBS,
    Import,
    ImportCreate,
    ImportJob,
    ImportRecord,
    ImportStatus,
    ImportUpload,
    import_key,
    is_job_id,
)
from tasklane.domain.exchange.model import ImportRejected, ImportTooLarge
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.exchange.report import ImportReport
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import Person, format_time, utc_now
from tasklane.domain.ports.files import ExchangeFiles
from tasklane.domain.ports.jobs import ImportStore
from tasklane.domain.ports.queue import JobQueue
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.exchange.imports import dry_run
from tasklane.logic.projects import ProjectService
from tasklane.resources import EXCHANGE_BUCKET
from tasklane.settings import ExchangeSettings


def refusal(report: ImportReport) -> TasklaneError | None:
    """The error a dry run's rejected file is answered with (413 or 422)."""
    rejected = report.rejected
    if rejected is None:
        return None
    details = dict(rejected.details or {})
    reason = str(details.pop("reason", rejected.code))
    where = {k: v for k, v in details.items() if isinstance(v, int | str) or v is None}
    if rejected.status == 413:
        return ImportTooLarge(reason, rejected.message, **where)
    return ImportRejected(reason, rejected.message, **where)


class ImportService:
    def __init__(
        self,
        store: ImportStore,
        files: ExchangeFiles,
        queue: JobQueue,
        projects: ProjectService,
        time_zone: Callable[[str], str],
        settings: ExchangeSettings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._files = files
        self._queue = queue
        self._projects = projects
        #: The user's profile's time zone (dates without an offset default to it).
        self._time_zone = time_zone
        self._settings = settings
        self._clock = clock

    @property
    def _limits(self) -> int:
        return self._settings.imports.max_bytes

    def _too_large(self) -> ImportTooLarge:
        limit = self._limits
        return ImportTooLarge(
            "file_too_large", f"the file is larger than {limit} bytes", limit=limit
        )

    def create(self, owner: Person, data: ImportCreate) -> ImportUpload:
        if data.size > self._limits:
            raise ImportTooLarge(
                "file_too_large",
                f"the file is larger than {self._limits} bytes",
                limit=self._limits,
            )
        destination = None
        if data.project_id is not None:
            project = self._projects.get(owner.user_id, data.project_id)
            if project.role not in TASK_WRITERS:
                raise Forbidden("your role in this project does not allow adding tasks")
            destination = project.id
        options = data.options(data.time_zone or self._time_zone(owner.user_id))
        now = self._clock()
        stamp = format_time(now)
        view = Import(
            id=new_ulid(),
            format=options.format.value,
            file_name=data.file_name,
            size=data.size,
            project_id=destination,
            options=options.model_dump(mode="json", exclude_none=True),
            status=ImportStatus.awaiting_upload,
            created_at=stamp,
            updated_at=stamp,
            expires_at=format_time(now + timedelta(days=EXCHANGE_BUCKET.expiry_days)),
        )
        self._store.create_import(ImportRecord(view=view, user_id=owner.user_id, owner=owner))
        expiry = self._settings.upload_expiry_seconds
        url, fields = self._files.upload_form(import_key(owner.user_id, view.id), data.size, expiry)
        form = UploadForm(
            url=url, fields=fields, expires_at=format_time(now + timedelta(seconds=expiry))
        )
        return ImportUpload(import_=view, upload=form)

    def get(self, user_id: str, import_id: str) -> Import:
        return self._record(user_id, import_id).view

    def list(self, user_id: str) -> Sequence[Import]:
        return [record.view for record in self._store.list_imports(user_id, LISTED_JOBS)]

    def dry_run(self, user_id: str, import_id: str) -> ImportReport:
        record = self._record(user_id, import_id)
        key = self._uploaded(user_id, record)
        options = ImportOptions.model_validate(record.view.options)
        report = dry_run(self._opener(key), options, self._settings.imports)
        error = refusal(report)
        if error is not None:
            raise error
        return report

    def start(self, user_id: str, import_id: str) -> Import:
        record = self._record(user_id, import_id)
        if record.view.status is not ImportStatus.awaiting_upload:
            raise Conflict("this import has been started already")
        self._uploaded(user_id, record)
        if not self._store.queue_import(user_id, import_id, self._clock()):
            raise Conflict("this import has been started already")
        try:
            self._queue.send([ImportJob(id=import_id, user_id=user_id)])
        except Exception:
            self._store.finish_import(
                user_id, import_id, None, "could not be queued", self._clock()
            )
            raise
        return self._record(user_id, import_id).view

    # Helpers ------------------------------------------------------------------------------
    def _record(self, user_id: str, import_id: str) -> ImportRecord:
        record = self._store.get_import(user_id, import_id) if is_job_id(import_id) else None
        if record is None:
            raise NotFound("import not found")
        return record

    def _uploaded(self, user_id: str, record: ImportRecord) -> str:
        """The file's key, once it is there with the declared size (the form pins it; moto
        does not enforce forms, so it is checked here too)."""
        key = import_key(user_id, record.view.id)
        size = self._files.size(key)
        if size is None:
            raise UploadRejected(
                "not_uploaded", "no file has been uploaded for this import yet: send it first"
            )
        if size > self._limits:
            raise ImportTooLarge(
                "file_too_large",
                f"the file is larger than {self._limits} bytes",
                limit=self._limits,
            )
        if size != record.view.size:
            raise UploadRejected(
                "size_mismatch", f"the file is {size} bytes but {record.view.size} were declared"
            )
        return key

    def _opener(self, key: str) -> Callable[[], BinaryIO]:
        return lambda: self._files.open(key)
