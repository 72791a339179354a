"""The export worker's use case: one export job → the ZIP in the exchange bucket.

The export is read and written as a stream (docs/exchange.md): for each project, its tasks,
comments and attachments come from three Queries in key order (``ProjectContents``), all
sorted by their task's ULID, and are merged here one task at a time; the ZIP goes to a
multipart upload (``ExchangeFiles.write``). Files come after the tasks (a ZIP member is
written whole), from a second pass over the attachments; a file deleted in between is
listed in ``missing-files.txt``.

Retries: a job is received again when the worker failed or timed out. ``start_export``
lets a running export start over (the upload of the failed attempt was aborted) and tells a
finished one apart, so a redelivered job does nothing twice. On its last attempt a failure
marks the export ``failed``; before that the job is retried.

AWS requests: 2 to start and finish, 1 per ``progress_every`` tasks, a Query per 1 MB of
tasks, comments and attachments (twice for attachments), a GetObject per file and one
request per 8 MiB part of the ZIP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import groupby
from typing import Generic, TypeVar

from tasklane.domain.attachments import CONTENT_TYPES as ATTACHMENT_TYPES
from tasklane.domain.attachments import AttachmentRecord, AttachmentStatus
from tasklane.domain.exchange.export import (
    ExportAttachment,
    ExportComment,
    ExportHeader,
    ExportProject,
    ExportTask,
    attachment_path,
)
from tasklane.domain.exchange.jobs import ExportJob, ExportProgress, ExportSummary, export_key
from tasklane.domain.ids import split_task_id
from tasklane.domain.models import Comment, Project, Task, format_time, utc_now
from tasklane.domain.ports.contents import ProjectContents
from tasklane.domain.ports.files import ExchangeFiles
from tasklane.domain.ports.jobs import ExportStore
from tasklane.domain.ports.projects import ProjectStore
from tasklane.domain.ports.storage import ObjectStorage
from tasklane.logic.exchange.archive import (
    COPY_BYTES,
    ExportFile,
    ExportResult,
    FileUnavailable,
    write_export,
)
from tasklane.observability import logger

#: Types stored as they are in the ZIP: deflating them again gains nothing.
COMPRESSED_FAMILIES = frozenset({"png", "jpeg", "gif", "webp", "pdf", "zip", "odf"})
PROJECT_PAGE = 100

T = TypeVar("T")


class ExportGone(Exception):
    """The requester can no longer read what they asked to export."""


def _task_ulid(task_id: str) -> str:
    parts = split_task_id(task_id)
    return parts[1] if parts else ""


class _Groups(Generic[T]):
    """Items of consecutive tasks, taken one task at a time in task order."""

    def __init__(self, items: Iterable[T], task_of: Callable[[T], str]) -> None:
        self._groups = ((ulid, list(group)) for ulid, group in groupby(items, key=task_of))
        self._current = next(self._groups, None)

    def take(self, ulid: str) -> list[T]:
        # Items of a task that is gone (deleted while the export ran) are skipped.
        while self._current is not None and self._current[0] < ulid:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != ulid:
            return []
        taken = self._current[1]
        self._current = next(self._groups, None)
        return taken


class _Merge:
    """Tasks with their comments and attachments, from three iterators in task order."""

    def __init__(
        self, comments: Iterable[Comment], attachments: Iterable[AttachmentRecord]
    ) -> None:
        self._comments = _Groups(comments, lambda c: _task_ulid(c.task_id))
        self._attachments = _Groups(attachments, lambda a: a.task_ulid)

    def task(self, task: Task) -> ExportTask:
        ulid = _task_ulid(task.id)
        return ExportTask(
            **task.model_dump(),
            comments=[_comment(c) for c in self._comments.take(ulid)],
            attachments=[_attachment(r) for r in self._attachments.take(ulid) if _exported(r)],
        )


def _comment(c: Comment) -> ExportComment:
    return ExportComment(
        id=c.id, author_id=c.author_id, body=c.body, created_at=c.created_at,
        updated_at=c.updated_at, version=c.version,
    )  # fmt: skip


def _exported(record: AttachmentRecord) -> bool:
    return record.attachment.status is AttachmentStatus.ready


def _attachment(record: AttachmentRecord) -> ExportAttachment:
    a = record.attachment
    return ExportAttachment(
        id=a.id, file_name=a.file_name, size=a.size, content_type=a.content_type,
        created_at=a.created_at, created_by=a.created_by,
        path=attachment_path(a.task_id, a.id, a.file_name),
    )  # fmt: skip


class ExportRunner:
    def __init__(
        self,
        store: ExportStore,
        projects: ProjectStore,
        contents: ProjectContents,
        storage: ObjectStorage,
        files: ExchangeFiles,
        clock: Callable[[], datetime] = utc_now,
        progress_every: int = 500,
    ) -> None:
        self._store = store
        self._projects = projects
        self._contents = contents
        self._storage = storage
        self._files = files
        self._clock = clock
        self._progress_every = progress_every

    def run(self, job: ExportJob, *, last_attempt: bool) -> ExportSummary | None:
        """The summary of the export made; None when there was nothing to do (finished
        already, or failed for good). Raises to have the job retried."""
        export = self._store.start_export(job.user_id, job.id, self._clock())
        if export is None:
            logger.info("export finished already", extra={"export_id": job.id})
            return None
        try:
            summary = self._write(job, export.project_id, export.created_at)
        except ExportGone as gone:
            self._store.finish_export(job.user_id, job.id, None, str(gone), self._clock())
            return None
        except Exception:
            if not last_attempt:
                raise
            logger.exception("export failed for good", extra={"export_id": job.id})
            error = "the export could not be finished; start a new one"
            self._store.finish_export(job.user_id, job.id, None, error, self._clock())
            return None
        self._store.finish_export(job.user_id, job.id, summary, None, self._clock())
        return summary

    def _readable(self, user_id: str, project_id: str | None) -> list[Project]:
        if project_id is not None:
            project = self._projects.get_project(project_id, user_id)
            if project is None:
                raise ExportGone("you can no longer read this project")
            return [project]
        found: list[Project] = []
        start = None
        while True:
            page = self._projects.list_projects(user_id, PROJECT_PAGE, start)
            found += page.items
            if page.next_key is None:
                return found
            start = page.next_key

    def _write(self, job: ExportJob, project_id: str | None, created_at: str) -> ExportSummary:
        projects = self._readable(job.user_id, project_id)
        header = ExportHeader(
            exported_at=format_time(self._clock()), exported_by=job.user_id, project_id=project_id
        )
        exported = [
            ExportProject(**p.model_dump(exclude={"role"}), archived=False) for p in projects
        ]

        def progress(result: ExportResult) -> None:
            state = ExportProgress(tasks=result.tasks, files=result.files + len(result.missing))
            self._store.export_progress(job.user_id, job.id, state, self._clock())

        trashed: set[str] = set()  # this run's trashed task ids (few: only the trash)
        with self._files.write(export_key(job.user_id, job.id)) as upload:
            result = write_export(
                upload,
                header,
                exported,
                self._tasks(projects, trashed),
                self._files_of(projects, trashed),
                on_progress=progress,
                progress_every=self._progress_every,
            )
        return ExportSummary(
            projects=result.projects, tasks=result.tasks, files=result.files,
            file_bytes=result.file_bytes, missing_files=len(result.missing), size=upload.size,
        )  # fmt: skip

    def _tasks(self, projects: list[Project], trashed: set[str]) -> Iterator[ExportTask]:
        """Every task but those in the trash (gone from every list, so from the export too;
        an import would bring them back live). ``trashed`` collects their ids: their
        comments are skipped here (``_Groups.take``), their files by :meth:`_files_of`."""
        for project in projects:
            merge = _Merge(
                self._contents.comments(project.id), self._contents.attachments(project.id)
            )
            for task in self._contents.tasks(project.id):
                if task.deleted_at is not None:
                    trashed.add(task.id)
                    continue
                yield merge.task(task)

    def _files_of(self, projects: list[Project], trashed: set[str]) -> Iterator[ExportFile]:
        # Read after every task was (write_export writes tasks.json first): the files are
        # those tasks.json lists, none of a trashed task's.
        for project in projects:
            for record in self._contents.attachments(project.id):
                if _exported(record) and record.attachment.task_id not in trashed:
                    yield self._file(record)

    def _file(self, record: AttachmentRecord) -> ExportFile:
        a = record.attachment

        def open_file() -> Iterator[bytes]:
            chunks = self._storage.stream_object(record.key, record.version_id, COPY_BYTES)
            if chunks is None:
                raise FileUnavailable(record.key)
            return chunks

        kind = ATTACHMENT_TYPES.get(a.content_type)
        return ExportFile(
            path=attachment_path(a.task_id, a.id, a.file_name),
            size=a.size,
            open=open_file,
            modified=datetime.fromisoformat(a.completed_at or a.created_at),
            compress=kind is None or kind.family not in COMPRESSED_FAMILIES,
        )
