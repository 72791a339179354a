"""Exports, as the API offers them: start one, see how it goes, get its download link.

``start`` records the export (``queued``) and sends its job to the export queue; the export
worker (:mod:`tasklane.logic.exchange.export_run`) does the rest. A ready export's link is a
presigned GET made on each ``get`` (local computation), valid for minutes: the page asks
again for a fresh one. The ZIP and the record expire together, after
``resources.EXCHANGE_BUCKET.expiry_days``.

AWS requests: start 3 (the active exports' Query, the PutItem, the SendMessageBatch; 4 with
a project to check), get 1, list 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from tasklane.domain.errors import NotFound
from tasklane.domain.exchange.jobs import (
    LISTED_JOBS,
    MAX_ACTIVE_EXPORTS,
    Export,
    ExportCreate,
    ExportDownload,
    ExportJob,
    ExportStatus,
    TooManyJobs,
    export_key,
    is_job_id,
)
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import format_time, utc_now
from tasklane.domain.ports.files import ExchangeFiles
from tasklane.domain.ports.jobs import ExportStore
from tasklane.domain.ports.queue import JobQueue
from tasklane.logic.projects import ProjectService
from tasklane.resources import EXCHANGE_BUCKET
from tasklane.settings import ExchangeSettings

ACTIVE = (ExportStatus.queued, ExportStatus.running)


class ExportService:
    def __init__(
        self,
        store: ExportStore,
        projects: ProjectService,
        queue: JobQueue,
        files: ExchangeFiles,
        settings: ExchangeSettings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._projects = projects
        self._queue = queue
        self._files = files
        self._settings = settings
        self._clock = clock

    def start(self, user_id: str, data: ExportCreate) -> Export:
        project_id = None
        if data.project_id is not None:
            project_id = self._projects.get(user_id, data.project_id).id  # 404 unless a member
        active = [e for e in self._store.list_exports(user_id, LISTED_JOBS) if e.status in ACTIVE]
        if len(active) >= MAX_ACTIVE_EXPORTS:
            raise TooManyJobs(
                f"you have {len(active)} exports running; wait for one to finish",
                {"limit": MAX_ACTIVE_EXPORTS},
            )
        now = self._clock()
        stamp = format_time(now)
        export = Export(
            id=new_ulid(),
            project_id=project_id,
            status=ExportStatus.queued,
            created_at=stamp,
            updated_at=stamp,
            expires_at=format_time(now + timedelta(days=EXCHANGE_BUCKET.expiry_days)),
        )
        self._store.create_export(user_id, export)
        try:
            self._queue.send([ExportJob(id=export.id, user_id=user_id)])
        except Exception:
            # Not left queued forever: the client sees it failed and may start another.
            self._store.finish_export(user_id, export.id, None, "could not be queued", now)
            raise
        return export

    def get(self, user_id: str, export_id: str) -> Export:
        export = self._store.get_export(user_id, export_id) if is_job_id(export_id) else None
        if export is None:
            raise NotFound("export not found")
        return self._with_link(user_id, export)

    def list(self, user_id: str) -> Sequence[Export]:
        return self._store.list_exports(user_id, LISTED_JOBS)

    def _with_link(self, user_id: str, export: Export) -> Export:
        now = self._clock()
        if export.status is not ExportStatus.ready or format_time(now) >= export.expires_at:
            return export
        expires_in = self._settings.download_expiry_seconds
        name = f"tasklane-export-{export.created_at[:10]}.zip"
        url = self._files.download_url(export_key(user_id, export.id), name, expires_in)
        link = ExportDownload(url=url, expires_at=format_time(now + timedelta(seconds=expires_in)))
        return export.model_copy(update={"download": link})
