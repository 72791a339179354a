"""From a format's raw row to the neutral model, with one policy for every format:

- what can be kept is kept, and a *warning* says how it was changed: a title longer than
  Tasklane allows is shortened (the whole title opens the description), text too long is
  cut, control characters are dropped, labels Tasklane cannot hold are left out, checklists
  and comments beyond the per-task limits are left out;
- what cannot be understood is an *error* and the row is not imported: no title, a status or
  priority that maps to nothing, a task in a project the file does not have.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from tasklane.domain.exchange.model import (
    MAX_AUTHOR,
    MAX_CHECKLIST_TEXT,
    ChecklistItem,
    ImportedAttachment,
    ImportedComment,
    ImportedProject,
    ImportedTask,
    RowProblem,
    Severity,
    TaskOrigin,
)
from tasklane.domain.models import (
    MAX_COMMENT,
    MAX_LABEL,
    MAX_LABELS,
    MAX_PROJECT_DESCRIPTION,
    MAX_PROJECT_NAME,
    Priority,
    Status,
    normalise_label,
)
from tasklane.domain.text import MAX_DESCRIPTION, MAX_TITLE
from tasklane.logic.exchange.dates import Due
from tasklane.settings import ImportLimits

_SPACES = re.compile(r"\s+")
_KEEP_IN_TEXT = frozenset("\n\r\t")
_ELLIPSIS = "…"


def one_line(value: str) -> str:
    """Whitespace of any kind (line breaks, tabs, U+2028) to single spaces; other control
    characters dropped."""
    kept = "".join(c for c in value if c.isspace() or unicodedata.category(c) != "Cc")
    return _SPACES.sub(" ", kept).strip()


def text_block(value: str) -> str:
    """Control characters other than tab and line breaks dropped (Tasklane's rule for
    descriptions and comments); line breaks kept as they are."""
    return "".join(c for c in value if c in _KEEP_IN_TEXT or unicodedata.category(c) != "Cc")


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + _ELLIPSIS


@dataclass(slots=True)
class CommentDraft:
    body: str
    author: str | None = None
    created_at: datetime | None = None
    source_id: str | None = None
    updated_at: datetime | None = None
    version: int | None = None


@dataclass(slots=True)
class TaskDraft:
    """A row as the format gave it, before Tasklane's rules."""

    key: str
    source_id: str
    project_key: str
    title: str
    description: str = ""
    status: Status = Status.todo
    priority: Priority = Priority.medium
    due: Due | None = None
    labels: list[str] = field(default_factory=list)
    checklist: list[tuple[str, bool]] = field(default_factory=list)
    comments: list[CommentDraft] = field(default_factory=list)
    archived: bool = False
    origin: TaskOrigin | None = None
    #: Files an export ZIP carries (Tasklane's format only).
    attachments: list[ImportedAttachment] = field(default_factory=list)


class RowReport:
    """Collects one row's problems."""

    def __init__(self, row: int | None, source_id: str | None) -> None:
        self.row = row
        self.source_id = source_id
        self.problems: list[RowProblem] = []

    def warn(self, field_name: str | None, message: str) -> None:
        self.problems.append(
            RowProblem(self.row, message, Severity.warning, field_name, self.source_id)
        )

    def error(self, field_name: str | None, message: str) -> None:
        self.problems.append(
            RowProblem(self.row, message, Severity.error, field_name, self.source_id)
        )

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.error for p in self.problems)


def clean_labels(raw: list[str], report: RowReport) -> list[str]:
    labels: list[str] = []
    for value in raw:
        label = normalise_label(one_line(value))
        if not label:
            continue
        if len(label) > MAX_LABEL:
            report.warn(
                "labels",
                f"label {shorten(label, 60)!r} is longer than {MAX_LABEL} "
                "characters and was left out",
            )
            continue
        if label not in labels:
            labels.append(label)
    if len(labels) > MAX_LABELS:
        report.warn("labels", f"{len(labels)} labels: only the first {MAX_LABELS} were kept")
        labels = labels[:MAX_LABELS]
    return labels


def _checklist(draft: TaskDraft, limits: ImportLimits, report: RowReport) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for text, done in draft.checklist:
        line = one_line(text)
        if not line:
            continue
        if len(line) > MAX_CHECKLIST_TEXT:
            report.warn("checklist", f"a checklist item was cut to {MAX_CHECKLIST_TEXT} characters")
            line = shorten(line, MAX_CHECKLIST_TEXT)
        items.append(ChecklistItem(text=line, done=done))
    if len(items) > limits.max_checklist_items_per_task:
        report.warn(
            "checklist",
            f"{len(items)} checklist items: only the first "
            f"{limits.max_checklist_items_per_task} were kept",
        )
        items = items[: limits.max_checklist_items_per_task]
    return items


def _comments(draft: TaskDraft, limits: ImportLimits, report: RowReport) -> list[ImportedComment]:
    comments: list[ImportedComment] = []
    for comment in draft.comments:
        body = text_block(comment.body).strip()
        if not body:
            continue
        if len(body) > MAX_COMMENT:
            report.warn("comments", f"a comment was cut to {MAX_COMMENT} characters")
            body = shorten(body, MAX_COMMENT)
        author = one_line(comment.author or "")[:MAX_AUTHOR] or None
        comments.append(
            ImportedComment(
                source_id=comment.source_id,
                body=body,
                author=author,
                created_at=comment.created_at,
                updated_at=comment.updated_at,
                version=comment.version,
            )
        )
    if len(comments) > limits.max_comments_per_task:
        report.warn(
            "comments",
            f"{len(comments)} comments: only the first {limits.max_comments_per_task} were kept",
        )
        comments = comments[: limits.max_comments_per_task]
    return comments


def build_task(
    draft: TaskDraft, row: int | None, limits: ImportLimits, report: RowReport | None = None
) -> Iterator[ImportedTask | RowProblem]:
    """The row's problems, then the task unless one of them is an error."""
    report = report or RowReport(row, draft.source_id)
    title = one_line(draft.title)
    description = text_block(draft.description)
    if not title:
        report.error("title", "the title is empty")
    elif len(title) > MAX_TITLE:
        report.warn(
            "title",
            f"the title was shortened to {MAX_TITLE} characters; the whole "
            "title opens the description",
        )
        description = f"{title}\n\n{description}" if description else title
        title = shorten(title, MAX_TITLE)
    if len(description) > MAX_DESCRIPTION:
        report.warn("description", f"the description was cut to {MAX_DESCRIPTION} characters")
        description = shorten(description, MAX_DESCRIPTION)
    labels = clean_labels(draft.labels, report)
    task: ImportedTask | None = None
    try:
        checklist = _checklist(draft, limits, report)
        comments = _comments(draft, limits, report)
        if not report.failed:
            task = ImportedTask(
                key=draft.key,
                source_id=draft.source_id,
                project_key=draft.project_key,
                title=title,
                description=description,
                status=draft.status,
                priority=draft.priority,
                due_at=draft.due.at if draft.due else None,
                due_all_day=bool(draft.due and draft.due.all_day),
                labels=labels,
                checklist=checklist,
                comments=comments,
                archived=draft.archived,
                origin=draft.origin,
                attachments=draft.attachments,
            )
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            where = ".".join(str(part) for part in error["loc"]) or None
            report.error(where, str(error["msg"]))
    yield from report.problems
    if task is not None:
        yield task


def build_project(
    key: str, source_id: str, name: str, description: str = "", archived: bool = False
) -> ImportedProject:
    """Projects are never refused: a name Tasklane cannot hold is cut or replaced."""
    clean = shorten(one_line(name), MAX_PROJECT_NAME) or "Imported project"
    return ImportedProject(
        key=key,
        source_id=source_id,
        name=clean,
        description=shorten(text_block(description), MAX_PROJECT_DESCRIPTION),
        archived=archived,
    )
