"""The import worker's use case: one import job → projects, tasks and comments.

The file is parsed as a stream (:func:`tasklane.logic.exchange.imports.parse_import`) and
each item is written as it comes: a project with its claim, a task with its claim and its
first comments in one transaction (``ImportSink``). A row that cannot be written is a row
problem in the report, and the import goes on; a file that cannot be read on stops it, with
what was written kept (a re-run skips it). Re-running an import — a retried job, or the
same file imported again — claims the same keys, so it creates nothing twice and finishes
what a crashed run left half done (the missing comments of a task, say).

What Tasklane has no place for yet is kept where it can be seen: a checklist is appended to
the description as a Markdown task list, an archived item gets the label ``archived``, an
imported comment's original author and time open its text, and a task's attachments are
left out (with a warning: download them from the export).

An import counts under the same limits as the API (projects per user, tasks per project):
the first write a limit refuses stops the import, and the report says so in ``rejected``
(409 ``limit_reached`` with the limit's name and maximum); what was written is kept, and a
re-run after making room goes on where it stopped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from ulid import ULID

from tasklane.domain.errors import LimitReached, TasklaneError, ValidationFailed
from tasklane.domain.exchange.jobs import STORED_PROBLEMS, ImportJob, ImportProgress, import_key
from tasklane.domain.exchange.model import (
    ChecklistItem,
    ImportedComment,
    ImportedProject,
    ImportedTask,
    ImportItem,
    ImportRejected,
    ImportTooLarge,
    RowProblem,
    Severity,
)
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.exchange.report import ImportReport
from tasklane.domain.ids import new_project_id, new_task_id
from tasklane.domain.models import (
    MAX_COMMENT,
    MAX_LABELS,
    Comment,
    Person,
    Project,
    Role,
    Status,
    Task,
    format_time,
    utc_now,
)
from tasklane.domain.ports.files import ExchangeFiles
from tasklane.domain.ports.imports import ImportSink
from tasklane.domain.ports.jobs import ImportStore
from tasklane.domain.ports.limits import Quota
from tasklane.domain.text import MAX_DESCRIPTION
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.exchange.imports import ReportBuilder, parse_import
from tasklane.logic.tasks import tasks_quota
from tasklane.observability import logger
from tasklane.settings import ImportLimits, LimitSettings

ARCHIVED_LABEL = "archived"


def comment_id(task_key: str, position: int, created_at: datetime) -> str:
    """A ULID whose time is the comment's and whose randomness is its place in the import:
    the same comment of the same import is the same id on every run."""
    millis = max(int(created_at.timestamp() * 1000), 0)
    digest = hashlib.sha256(f"{task_key}\x1f{position}".encode()).digest()[:10]
    return str(ULID.from_bytes(millis.to_bytes(6, "big") + digest)).lower()


def with_checklist(description: str, checklist: Sequence[ChecklistItem]) -> tuple[str, bool]:
    """The description with the checklist appended as a Markdown task list; True when it
    had to be cut to fit."""
    if not checklist:
        return description, False
    lines = "\n".join(f"- [{'x' if item.done else ' '}] {item.text}" for item in checklist)
    text = f"{description.rstrip()}\n\n{lines}" if description.strip() else lines
    if len(text) <= MAX_DESCRIPTION:
        return text, False
    return text[: MAX_DESCRIPTION - 1].rstrip() + "…", True


def comment_text(comment: ImportedComment, importer: str) -> str:
    """The body, opened by its original author and time when someone else wrote it."""
    body = comment.body
    if comment.author and comment.author != importer:
        when = f", {comment.created_at:%Y-%m-%d %H:%M} UTC" if comment.created_at else ""
        body = f"[{comment.author}{when}]\n{body}"
    return body if len(body) <= MAX_COMMENT else body[: MAX_COMMENT - 1].rstrip() + "…"


class _Run:
    """One run's state: where each project key went, the report, the progress."""

    def __init__(self, sink: ImportSink, job: ImportJob, owner: Person, destination: str | None,
                 options: ImportOptions, clock: Callable[[], datetime],
                 quotas: LimitSettings) -> None:  # fmt: skip
        self.sink = sink
        self.projects_quota = Quota("projects_per_user", quotas.projects_per_user)
        self.tasks_quota = tasks_quota(quotas)
        self.job_id = job.id
        self.user = job.user_id
        self.owner = owner
        self.destination = destination
        self.clock = clock
        self.projects: dict[str, str] = {}
        self.builder = ReportBuilder(options.format)
        self.progress = ImportProgress()

    def warn(self, message: str, item: ImportedTask) -> None:
        """A problem met while writing: the row is known by its source id (the parsers'
        problems carry the row number)."""
        self.builder.problem(RowProblem(None, message, Severity.warning, source_id=item.source_id))

    def project(self, item: ImportedProject) -> None:
        if self.destination is not None:
            self.projects[item.key] = self.destination
            return
        stamp = format_time(self.clock())
        project = Project(
            id=new_project_id(), name=item.name, description=item.description, is_inbox=False,
            owner_id=self.user, role=Role.owner, created_at=stamp, updated_at=stamp, version=1,
        )  # fmt: skip
        project_id = self.sink.create_project(item.key, project, self.owner, self.projects_quota)
        self.projects[item.key] = project_id
        report = self.builder.report
        if project_id not in report.project_ids:
            report.project_ids.append(project_id)
            report.projects += 1

    def task(self, item: ImportedTask) -> None:
        project_id = self.projects.get(item.project_key)
        if project_id is None:
            self.builder.problem(
                RowProblem(None, "its project was not imported", source_id=item.source_id)
            )
            return
        task = self._task(item, project_id)
        comments = [self._comment(item, task.id, n, c) for n, c in enumerate(item.comments)]
        first = self.sink.transaction_comments()
        try:
            task_id, created = self._create(item, task, comments[:first])
        except LimitReached:
            raise  # stops the import (ImportRunner.run)
        except TasklaneError as exc:
            # The destination is gone, or the importer may no longer write there.
            self.builder.problem(RowProblem(None, exc.message, source_id=item.source_id))
            return
        if created:
            self.progress.tasks += 1
            self.builder.report.tasks += 1
            rest = comments[first:]
        else:
            self.progress.skipped += 1
            self.builder.report.skipped += 1
            rest = [c.model_copy(update={"task_id": task_id}) for c in comments]
        written = self.sink.add_comments(rest) + (len(comments[:first]) if created else 0)
        self.builder.report.comments += written
        if item.attachments:
            count = len(item.attachments)
            self.warn(f"{count} attachments not imported: download them from the export", item)

    def _create(self, item: ImportedTask, task: Task, comments: list[Comment]) -> tuple[str, bool]:
        try:
            return self.sink.create_task(
                item.key, task, comments, self.user, TASK_WRITERS, self.tasks_quota
            )
        except ValidationFailed:
            if task.assignee_id is None:
                raise
        # The assignee is not a member here: imported unassigned.
        self.warn("assignee not kept: not a member of the project", item)
        unassigned = task.model_copy(update={"assignee_id": None})
        return self.sink.create_task(
            item.key, unassigned, comments, self.user, TASK_WRITERS, self.tasks_quota
        )

    def _task(self, item: ImportedTask, project_id: str) -> Task:
        description, cut = with_checklist(item.description, item.checklist)
        if cut:
            self.warn("the checklist was cut to fit the description", item)
        labels = list(item.labels)
        if item.archived and ARCHIVED_LABEL not in labels:
            if len(labels) < MAX_LABELS:
                labels.append(ARCHIVED_LABEL)
            self.warn("archived: imported labelled 'archived' (Tasklane has no archive)", item)
        stamp = format_time(self.clock())
        assignee = item.origin.assignee_id if item.origin else None
        return Task(
            id=new_task_id(project_id), project_id=project_id, title=item.title,
            description=description, status=item.status, priority=item.priority,
            due_at=format_time(item.due_at) if item.due_at else None, labels=labels,
            created_at=stamp, updated_at=stamp,
            completed_at=stamp if item.status is Status.done else None,
            created_by=self.user, updated_by=self.user, assignee_id=assignee, version=1,
        )  # fmt: skip

    def _comment(
        self, item: ImportedTask, task_id: str, position: int, comment: ImportedComment
    ) -> Comment:
        created = comment.created_at or self.clock()
        stamp = format_time(created)
        return Comment(
            id=comment_id(item.key, position, created), task_id=task_id, author_id=self.user,
            body=comment_text(comment, self.user), created_at=stamp, updated_at=stamp, version=1,
        )  # fmt: skip


class ImportRunner:
    def __init__(
        self,
        store: ImportStore,
        sink: ImportSink,
        files: ExchangeFiles,
        limits: ImportLimits,
        clock: Callable[[], datetime] = utc_now,
        progress_every: int = 200,
        quotas: LimitSettings | None = None,
    ) -> None:
        self._quotas = quotas or LimitSettings()
        self._store = store
        self._sink = sink
        self._files = files
        self._limits = limits
        self._clock = clock
        self._progress_every = progress_every

    def run(self, job: ImportJob, *, last_attempt: bool) -> ImportReport | None:
        """The report of the import; None when there was nothing to do (finished already,
        or failed for good). Raises to have the job retried."""
        record = self._store.start_import(job.user_id, job.id, self._clock())
        if record is None:
            logger.info("import finished already", extra={"import_id": job.id})
            return None
        options = ImportOptions.model_validate(record.view.options)
        run = _Run(
            self._sink, job, record.owner, record.view.project_id, options, self._clock,
            self._quotas,
        )  # fmt: skip
        key = import_key(job.user_id, job.id)
        try:
            self._consume(run, parse_import(lambda: self._files.open(key), options, self._limits))
        except (ImportRejected, ImportTooLarge) as refused:
            run.builder.reject(refused)
        except LimitReached as limit:
            run.builder.reject(limit)
        except Exception:
            if not last_attempt:
                raise
            logger.exception("import failed for good", extra={"import_id": job.id})
            error = "the import could not be finished; what it wrote is kept, run it again"
            self._store.finish_import(job.user_id, job.id, None, error, self._clock())
            return None
        report = _stored(run.builder.report)
        self._store.finish_import(job.user_id, job.id, report, None, self._clock())
        return report

    def _consume(self, run: _Run, items: Iterator[ImportItem]) -> None:
        for item in items:
            run.progress.rows += 1
            if isinstance(item, ImportedProject):
                run.project(item)
            elif isinstance(item, ImportedTask):
                run.task(item)
            else:
                run.builder.problem(item)
            if run.progress.rows % self._progress_every == 0:
                self._store.import_progress(run.user, run.job_id, run.progress, self._clock())


def _stored(report: ImportReport) -> ImportReport:
    """The report as the import keeps it: the first problems (the counts count them all)."""
    if len(report.problems) <= STORED_PROBLEMS:
        return report
    return report.model_copy(
        update={"problems": report.problems[:STORED_PROBLEMS], "problems_truncated": True}
    )
