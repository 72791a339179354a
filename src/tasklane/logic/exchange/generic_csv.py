"""Import any CSV file whose columns a :class:`ColumnMapping` names.

Values are read leniently where the meaning is clear (status and priority words in several
spellings, see ``STATUS_WORDS``; yes/no for archived) and refused per row where it is not:
a status or priority nobody mapped, a date that does not match the format. A cell that
Tasklane's own tasks.csv neutralised against formula injection (``'=…``) is read back
without the added quote, so tasks.csv can be imported with this format too.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasklane.domain.exchange.model import (
    ImportedTask,
    ImportFormat,
    ImportItem,
    ImportRejected,
    import_key,
)
from tasklane.domain.exchange.options import (
    FALSE_WORDS,
    PRIORITY_WORDS,
    STATUS_WORDS,
    TRUE_WORDS,
    ColumnMapping,
    ImportOptions,
)
from tasklane.domain.models import Priority, Status
from tasklane.logic.exchange.csv_rows import ContentKeys, Header, Occurrences, cell, records
from tasklane.logic.exchange.dates import Due, parse_iso, parse_with_format, zone
from tasklane.logic.exchange.rows import RowReport, TaskDraft, build_project, build_task, one_line
from tasklane.logic.exchange.sources import Opener, numbered
from tasklane.logic.exchange.spreadsheet import unneutralise
from tasklane.settings import ImportLimits

SOURCE = ImportFormat.csv
DEFAULT_PROJECT_NAME = "Imported tasks"
_FIELDS = (
    "title",
    "description",
    "status",
    "priority",
    "due",
    "labels",
    "project",
    "archived",
    "checklist",
    "id",
)


def _word(value: str) -> str:
    return " ".join(value.split()).casefold()


class _Row:
    def __init__(self, fields: list[str], columns: dict[str, int | None]) -> None:
        self._fields = fields
        self._columns = columns

    def __getitem__(self, name: str) -> str:
        return unneutralise(cell(self._fields, self._columns.get(name)))


class _Reader:
    def __init__(
        self, header: Header, options: ImportOptions, mapping: ColumnMapping, limits: ImportLimits
    ) -> None:
        named = {name: getattr(mapping, name) for name in _FIELDS}
        header.require([column for column in named.values() if column])
        self.columns = {
            name: header.find(column) if column else None for name, column in named.items()
        }
        self.mapping = mapping
        self.options = options
        self.limits = limits
        self.where = zone(options.time_zone)
        self.statuses = {**STATUS_WORDS, **{_word(k): v for k, v in mapping.status_values.items()}}
        self.priorities = {
            **PRIORITY_WORDS,
            **{_word(k): v for k, v in mapping.priority_values.items()},
        }
        self.keys = ContentKeys(SOURCE)
        self.projects: dict[str, str] = {}
        #: The ids so far, and the row each came on first.
        self.ids = Occurrences()

    def project_label(self, name: str) -> str:
        return one_line(name) or self.options.project_name or DEFAULT_PROJECT_NAME

    def project(self, label: str) -> Iterator[ImportItem]:
        """The project, the first time a row that is imported names it."""
        if label not in self.projects:
            if len(self.projects) >= self.limits.max_projects:
                raise ImportRejected(
                    "too_many_projects",
                    f"the file names more than {self.limits.max_projects} projects",
                    limit=self.limits.max_projects,
                )
            self.projects[label] = import_key(SOURCE, "project", label)
            yield build_project(self.projects[label], label, label)

    def due(self, raw: str, report: RowReport) -> Due | None:
        if not raw.strip():
            return None
        try:
            if self.mapping.date_format:
                return parse_with_format(
                    raw, self.mapping.date_format, self.where, self.options.all_day_time
                )
            return parse_iso(raw, self.where, self.options.all_day_time)
        except ValueError as exc:
            report.error("due", str(exc))
            return None

    def task(self, row: int, fields: list[str]) -> Iterator[ImportItem]:
        values = _Row(fields, self.columns)
        source_id = values["id"].strip()
        report = RowReport(row, source_id or None)
        if source_id:
            count, first_row = self.ids.note(source_id, row)
            if count > 1:
                report.error("id", f"{source_id[:40]!r} is already on row {first_row}")
        status = self.statuses.get(_word(values["status"]))
        if status is None:
            report.error(
                "status",
                f"{values['status'][:40]!r} is not known: map it with status_values",
            )
        priority = self.priorities.get(_word(values["priority"]))
        if priority is None:
            report.error(
                "priority",
                f"{values['priority'][:40]!r} is not known: map it with priority_values",
            )
        archived_word = _word(values["archived"])
        if archived_word not in TRUE_WORDS | FALSE_WORDS:
            report.error("archived", f"{values['archived'][:40]!r} is not yes or no")
        due = self.due(values["due"], report)
        project = self.project_label(values["project"])
        key = (
            import_key(SOURCE, "id", source_id)
            if source_id
            else self.keys.key(*(cell(fields, i) for i in self.columns.values() if i is not None))
        )
        labels = values["labels"].split(self.mapping.label_separator) if values["labels"] else []
        checklist = (
            [
                (line, False)
                for line in values["checklist"]
                .replace("\r\n", "\n")
                .split(self.mapping.checklist_separator)
            ]
            if values["checklist"]
            else []
        )
        draft = TaskDraft(
            key=key,
            source_id=source_id or key,
            project_key=import_key(SOURCE, "project", project),
            title=values["title"],
            description=values["description"],
            status=status or Status.todo,
            priority=priority or Priority.medium,
            due=due,
            labels=labels,
            checklist=checklist,
            archived=archived_word in TRUE_WORDS,
        )
        built = list(build_task(draft, row, self.limits, report))
        if any(isinstance(item, ImportedTask) for item in built):
            yield from self.project(project)
        yield from built


def parse(opener: Opener, options: ImportOptions, limits: ImportLimits) -> Iterator[ImportItem]:
    if options.mapping is None:
        raise ImportRejected("mapping_required", "the csv format needs a column mapping")
    with opener() as raw:
        header, rows = records(
            raw,
            max_bytes=limits.max_bytes,
            max_row_bytes=limits.max_row_bytes,
            delimiter=options.mapping.delimiter,
        )
        reader = _Reader(header, options, options.mapping, limits)
        filled = ((row, fields) for row, fields in rows if any(f.strip() for f in fields))
        for _, (row, fields) in numbered(filled, limits.max_rows, "rows"):
            yield from reader.task(row, fields)
