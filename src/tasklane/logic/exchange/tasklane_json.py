"""Import Tasklane's own ``tasks.json`` (see :mod:`tasklane.domain.exchange.export`).

First read: the header and the projects; second read: the tasks, one at a time. Every field
an export writes comes back: content as it was, and the rest (ids, authors, times, version)
as the task's :class:`~tasklane.domain.exchange.model.TaskOrigin`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from tasklane.domain.exchange.export import EXPORT_FORMAT, EXPORT_VERSION, TASKS_JSON
from tasklane.domain.exchange.model import (
    ImportedAttachment,
    ImportedProject,
    ImportFormat,
    ImportItem,
    ImportRejected,
    RowProblem,
    TaskOrigin,
    import_key,
)
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import Priority, Status
from tasklane.logic.exchange import fields as f
from tasklane.logic.exchange.dates import Due
from tasklane.logic.exchange.rows import (
    CommentDraft,
    RowReport,
    TaskDraft,
    build_project,
    build_task,
)
from tasklane.logic.exchange.sources import Opener, json_items, numbered, zip_member
from tasklane.settings import ImportLimits

SOURCE = ImportFormat.tasklane


def _projects(opener: Opener, limits: ImportLimits) -> list[ImportedProject | RowProblem]:
    """The projects, once the header says the file is an export this version can read."""
    header: dict[str, object] = {}
    found: list[ImportedProject | RowProblem] = []
    count = 0
    with opener() as raw:
        for prefix, value in json_items(
            raw, ["format", "version", "projects.item"], max_bytes=limits.max_bytes
        ):
            if prefix != "projects.item":
                header.setdefault(prefix, value)
                continue
            count += 1
            if count > limits.max_projects:
                raise ImportRejected(
                    "too_many_projects",
                    f"the file has more than {limits.max_projects} projects",
                    limit=limits.max_projects,
                )
            project = f.obj(value)
            source_id = f.ident(project, "id")
            if not source_id:
                found.append(RowProblem(count, "the project has no id", field="projects.id"))
                continue
            found.append(
                build_project(
                    import_key(SOURCE, "project", source_id),
                    source_id,
                    f.text(project, "name"),
                    f.text(project, "description"),
                    f.flag(project, "archived"),
                )
            )
    if header.get("format") != EXPORT_FORMAT:
        raise ImportRejected("not_a_tasklane_export", "the file is not a Tasklane tasks.json")
    if header.get("version") != EXPORT_VERSION:
        raise ImportRejected(
            "unsupported_version", f"only version {EXPORT_VERSION} of tasks.json can be read"
        )
    return found


def _origin(task: Mapping[str, Any]) -> TaskOrigin | None:
    try:
        return TaskOrigin.model_validate({name: task.get(name) for name in TaskOrigin.model_fields})
    except ValidationError:
        return None  # a hand-made file: content only


def _version(value: Mapping[str, Any]) -> int | None:
    found = value.get("version")
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def _attachments(task: Mapping[str, Any], report: RowReport) -> list[ImportedAttachment]:
    found: list[ImportedAttachment] = []
    for entry in map(f.obj, f.items(task, "attachments")):
        if not f.text(entry, "path"):
            continue  # listed, but its file was not in the export
        try:
            found.append(
                ImportedAttachment.model_validate(
                    {name: entry.get(name) for name in ImportedAttachment.model_fields}
                )
            )
        except ValidationError:
            report.warn(
                "attachments",
                f"attachment {f.text(entry, 'file_name')[:60]!r} is "
                "described wrongly and was left out",
            )
    return found


def _draft(
    task: Mapping[str, Any], row: int, project_keys: Mapping[str, str], report: RowReport
) -> TaskDraft | None:
    source_id = f.ident(task, "id")
    project_key = project_keys.get(f.ident(task, "project_id"))
    if not source_id:
        report.error("id", "the task has no id")
    if project_key is None:
        report.error("project_id", "the task's project is not in the file")
    status = f.text(task, "status") or Status.todo.value
    priority = f.text(task, "priority") or Priority.medium.value
    if status not in Status.__members__:
        report.error("status", f"{status[:40]!r} is not one of {', '.join(Status)}")
    if priority not in Priority.__members__:
        report.error("priority", f"{priority[:40]!r} is not one of {', '.join(Priority)}")
    due: Due | None = None
    if raw_due := f.text(task, "due_at"):
        when = f.instant(raw_due)
        if when is None:
            report.error("due_at", f"{raw_due[:40]!r} is not a date-time with an offset")
        else:
            due = Due(when)
    if report.failed or project_key is None:
        return None
    return TaskDraft(
        key=import_key(SOURCE, source_id),
        source_id=source_id,
        project_key=project_key,
        title=f.text(task, "title"),
        description=f.text(task, "description"),
        status=Status(status),
        priority=Priority(priority),
        due=due,
        labels=f.strings(task, "labels"),
        checklist=[
            (f.text(item, "text"), f.flag(item, "done"))
            for item in map(f.obj, f.items(task, "checklist"))
        ],
        comments=[
            CommentDraft(
                body=f.text(c, "body"),
                author=f.text(c, "author_id") or None,
                created_at=f.instant(f.text(c, "created_at")),
                source_id=f.ident(c, "id") or None,
                updated_at=f.instant(f.text(c, "updated_at")),
                version=_version(c),
            )
            for c in map(f.obj, f.items(task, "comments"))
        ],
        archived=f.flag(task, "archived"),
        origin=_origin(task),
        attachments=_attachments(task, report),
    )


def parse(opener: Opener, options: ImportOptions, limits: ImportLimits) -> Iterator[ImportItem]:
    """Reads ``tasks.json``, or an export ZIP (its ``tasks.json``; attachments are then
    listed with their paths in that ZIP)."""
    opener = zip_member(opener, TASKS_JSON, limits.max_bytes)
    project_keys: dict[str, str] = {}
    for item in _projects(opener, limits):
        if isinstance(item, ImportedProject):
            project_keys[item.source_id] = item.key
        yield item
    with opener() as raw:
        tasks = (value for _, value in json_items(raw, ["tasks.item"], max_bytes=limits.max_bytes))
        for row, value in numbered(tasks, limits.max_rows, "tasks"):
            task = f.obj(value)
            report = RowReport(row, f.ident(task, "id") or None)
            if not task:
                report.error(None, "the task is not a JSON object")
            draft = None if report.failed else _draft(task, row, project_keys, report)
            if draft is None:
                yield from report.problems
                continue
            yield from build_task(draft, row, limits, report)
