"""One entry point for every import format, and the dry run.

``parse_import`` yields the neutral items of :mod:`tasklane.domain.exchange.model` and may
raise ``ImportRejected`` (422) or ``ImportTooLarge`` (413); nothing else escapes for any
input (the parsers are fuzzed). The real import consumes the same iterator: for each
project and task it claims ``key`` (scoped to the importing user) before it writes, so a
re-run skips what an earlier run created.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tasklane.domain.errors import TasklaneError
from tasklane.domain.exchange.model import (
    ImportedProject,
    ImportedTask,
    ImportFormat,
    ImportItem,
    ImportRejected,
    ImportTooLarge,
    RowProblem,
    Severity,
)
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.exchange.report import (
    MAX_REPORTED_PROBLEMS,
    PREVIEW_TASKS,
    ImportReport,
    PreviewTask,
    Problem,
    Rejection,
)
from tasklane.logic.exchange import generic_csv, tasklane_json, todoist, trello
from tasklane.logic.exchange.sources import Opener
from tasklane.settings import ImportLimits

Parser = Callable[[Opener, ImportOptions, ImportLimits], Iterator[ImportItem]]

PARSERS: dict[ImportFormat, Parser] = {
    ImportFormat.tasklane: tasklane_json.parse,
    ImportFormat.trello: trello.parse,
    ImportFormat.todoist: todoist.parse,
    ImportFormat.csv: generic_csv.parse,
}


def parse_import(
    opener: Opener, options: ImportOptions, limits: ImportLimits
) -> Iterator[ImportItem]:
    return PARSERS[options.format](opener, options, limits)


class ReportBuilder:
    """Counts items as they go by: the dry run's report, and the real run's summary."""

    def __init__(
        self,
        fmt: ImportFormat,
        preview: int = PREVIEW_TASKS,
        max_problems: int = MAX_REPORTED_PROBLEMS,
    ) -> None:
        self.report = ImportReport(format=fmt)
        self._preview = preview
        self._max_problems = max_problems
        self._labels: set[str] = set()
        self._projects: dict[str, str] = {}

    def add(self, item: ImportItem) -> None:
        report = self.report
        if isinstance(item, ImportedProject):
            report.projects += 1
            self._projects[item.key] = item.name
        elif isinstance(item, ImportedTask):
            report.tasks += 1
            report.archived_tasks += item.archived
            report.comments += len(item.comments)
            report.checklist_items += len(item.checklist)
            self._labels.update(item.labels)
            report.labels = len(self._labels)
            if len(report.preview) < self._preview:
                report.preview.append(
                    PreviewTask(
                        title=item.title,
                        project=self._projects.get(item.project_key, ""),
                        status=item.status,
                        priority=item.priority,
                        due_at=item.due_at,
                        labels=item.labels,
                        archived=item.archived,
                    )
                )
        else:
            self.problem(item)

    def problem(self, item: RowProblem) -> None:
        report = self.report
        if item.severity is Severity.error:
            report.errors += 1
        else:
            report.warnings += 1
        if len(report.problems) < self._max_problems:
            report.problems.append(Problem.model_validate(item.as_dict()))
        else:
            report.problems_truncated = True

    def reject(self, error: TasklaneError) -> None:
        details = error.details if isinstance(error.details, dict) else None
        self.report.rejected = Rejection(
            status=error.status, code=error.code, message=error.message, details=details
        )


def dry_run(opener: Opener, options: ImportOptions, limits: ImportLimits) -> ImportReport:
    """What the import would create, every row's problem, and why the file was refused if
    it was (``rejected``) — never an exception for a bad file."""
    builder = ReportBuilder(options.format)
    try:
        for item in parse_import(opener, options, limits):
            builder.add(item)
    except (ImportRejected, ImportTooLarge) as error:
        builder.reject(error)
    return builder.report
