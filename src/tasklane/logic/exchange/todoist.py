"""Import a Todoist project exported as a CSV template (``TYPE, CONTENT, DESCRIPTION,
PRIORITY, INDENT, AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE``, …; only ``TYPE`` and
``CONTENT`` are required).

- ``task`` rows are tasks; ``@label`` words in ``CONTENT`` become labels; a ``section`` row
  names the section the tasks below it are in, which becomes a label;
- a task indented deeper (``INDENT`` 2 or more) becomes a checklist item of the task above
  it at indent 1 (Tasklane has no sub-tasks);
- ``note`` rows are comments on the task above;
- ``PRIORITY`` is Todoist's p1-p4 (1 highest): p1 → urgent, p2 → high, p3 → medium, and p4,
  Todoist's "no priority", → medium (Tasklane's default);
- ``DATE`` (or ``DEADLINE`` when ``DATE`` is empty) is read when it is ISO 8601, in the row's
  ``TIMEZONE`` or the import's; a date in words or a recurring one ("every monday") cannot
  be read without Todoist's parser: the task comes without a due date and a warning.

The file has no ids: rows are recognised by their content (see ``ContentKeys``), and the
project by its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tasklane.domain.exchange.model import (
    ImportFormat,
    ImportItem,
    ImportRejected,
    import_key,
)
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import Priority
from tasklane.logic.exchange.csv_rows import ContentKeys, Header, cell, records
from tasklane.logic.exchange.dates import Due, parse_iso, zone
from tasklane.logic.exchange.rows import (
    CommentDraft,
    RowReport,
    TaskDraft,
    build_project,
    build_task,
    one_line,
)
from tasklane.logic.exchange.sources import Opener
from tasklane.settings import ImportLimits

SOURCE = ImportFormat.todoist
DEFAULT_PROJECT_NAME = "Todoist import"
PRIORITIES = {"1": Priority.urgent, "2": Priority.high, "3": Priority.medium, "4": Priority.medium}
_LABEL = re.compile(r"(?:^|(?<=\s))@([^\s@]+)")
_COLUMNS = (
    "TYPE",
    "CONTENT",
    "DESCRIPTION",
    "PRIORITY",
    "INDENT",
    "DATE",
    "TIMEZONE",
    "DEADLINE",
    "AUTHOR",
)


@dataclass(slots=True)
class _Pending:
    draft: TaskDraft
    row: int
    report: RowReport


def split_labels(content: str) -> tuple[str, list[str]]:
    """``"Buy milk @errands @home"`` → ``("Buy milk", ["errands", "home"])``."""
    labels = _LABEL.findall(content)
    return one_line(_LABEL.sub(" ", content)), labels


def _due(
    date_text: str, deadline: str, tz_name: str, options: ImportOptions, report: RowReport
) -> Due | None:
    where = zone(options.time_zone)
    if tz_name.strip():
        try:
            where = zone(tz_name.strip())
        except ValueError:
            report.warn(
                "TIMEZONE", f"{tz_name[:60]!r} is not a time zone; {options.time_zone} used"
            )
    for column, value in (("DATE", date_text), ("DEADLINE", deadline)):
        if not value.strip():
            continue
        try:
            return parse_iso(value, where, options.all_day_time)
        except ValueError:
            report.warn(
                column,
                f"{value.strip()[:60]!r} is not a date Tasklane can read "
                "(dates in words and recurring dates are not); imported without a due date",
            )
            return None
    return None


class _Reader:
    def __init__(self, header: Header, options: ImportOptions, limits: ImportLimits) -> None:
        self.col = {name: header.find(name) for name in _COLUMNS}
        self.options = options
        self.limits = limits
        self.keys = ContentKeys(SOURCE)
        name = options.project_name or DEFAULT_PROJECT_NAME
        self.project_key = import_key(SOURCE, "project", name)
        self.section = ""
        self.pending: _Pending | None = None
        self.tasks = 0

    def get(self, fields: list[str], name: str) -> str:
        return cell(fields, self.col[name])

    def flush(self) -> Iterator[ImportItem]:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            yield from build_task(pending.draft, pending.row, self.limits, pending.report)

    def task(self, row: int, fields: list[str]) -> Iterator[ImportItem]:
        content = self.get(fields, "CONTENT")
        key = self.keys.key(
            self.section, content, self.get(fields, "DESCRIPTION"), self.get(fields, "DATE")
        )
        report = RowReport(row, key)
        indent_text = self.get(fields, "INDENT").strip() or "1"
        indent = int(indent_text) if indent_text.isdigit() else 1
        if indent > 1 and self.pending is not None:
            title, _ = split_labels(content)
            self.pending.draft.checklist.append((title, False))
            return
        if indent > 1:
            report.warn("INDENT", "a sub-task without a task above it: imported as a task")
        yield from self.flush()
        self.tasks += 1
        if self.tasks > self.limits.max_rows:
            raise ImportRejected(
                "too_many_rows",
                f"the file has more than {self.limits.max_rows} tasks",
                row=row,
                limit=self.limits.max_rows,
            )
        title, labels = split_labels(content)
        raw_priority = self.get(fields, "PRIORITY").strip()
        priority = PRIORITIES.get(raw_priority or "4")
        if priority is None:
            report.warn("PRIORITY", f"{raw_priority[:20]!r} is not 1-4; medium used")
        due = _due(
            self.get(fields, "DATE"),
            self.get(fields, "DEADLINE"),
            self.get(fields, "TIMEZONE"),
            self.options,
            report,
        )
        self.pending = _Pending(
            TaskDraft(
                key=key,
                source_id=key,
                project_key=self.project_key,
                title=title,
                description=self.get(fields, "DESCRIPTION"),
                priority=priority or Priority.medium,
                due=due,
                labels=([self.section] if self.section else []) + labels,
            ),
            row,
            report,
        )

    def note(self, row: int, fields: list[str]) -> Iterator[ImportItem]:
        if self.pending is None:
            report = RowReport(row, None)
            report.warn("TYPE", "a note without a task above it was left out")
            yield from report.problems
            return
        # "Evan (14781400)": the name without Todoist's user id.
        author = re.sub(r"\s*\(\d+\)\s*$", "", self.get(fields, "AUTHOR")).strip()
        self.pending.draft.comments.append(
            CommentDraft(self.get(fields, "CONTENT"), author or None)
        )

    def section_row(self, fields: list[str]) -> Iterator[ImportItem]:
        yield from self.flush()
        self.section = one_line(self.get(fields, "CONTENT"))


def parse(opener: Opener, options: ImportOptions, limits: ImportLimits) -> Iterator[ImportItem]:
    with opener() as raw:
        header, rows = records(raw, max_bytes=limits.max_bytes, max_row_bytes=limits.max_row_bytes)
        header.require(["TYPE", "CONTENT"])
        reader = _Reader(header, options, limits)
        yield build_project(
            reader.project_key, reader.project_key, options.project_name or DEFAULT_PROJECT_NAME
        )
        for row, fields in rows:
            kind = reader.get(fields, "TYPE").strip().casefold()
            if kind == "task":
                yield from reader.task(row, fields)
            elif kind == "note":
                yield from reader.note(row, fields)
            elif kind == "section":
                yield from reader.section_row(fields)
            elif kind in ("", "meta"):
                continue  # blank lines and view settings
            else:
                report = RowReport(row, None)
                report.warn(
                    "TYPE", f"row type {kind[:20]!r} is not task, section or note; left out"
                )
                yield from report.problems
        yield from reader.flush()
