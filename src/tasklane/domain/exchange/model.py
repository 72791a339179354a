"""The neutral import model: what every import format is turned into.

A parser yields, in order, :class:`ImportedProject`, :class:`ImportedTask` and
:class:`RowProblem` items; a task always comes after the project it names. It raises
:class:`ImportRejected` (413 or 422) when the file as a whole cannot be read; every other
problem is a :class:`RowProblem` and reading goes on.

Each project and task carries a ``key``: the format, the source's stable id for the file
(a Trello board id, …) and for the row, hashed. Re-reading the same file gives the same keys,
so the importer can claim each key once (a conditional write) and a re-run creates nothing
twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.errors import PayloadTooLarge, ValidationFailed
from tasklane.domain.models import (
    CommentBody,
    Description,
    DueAt,
    Labels,
    Priority,
    ProjectDescription,
    ProjectName,
    Status,
    Title,
)

#: A checklist item's text, in characters.
MAX_CHECKLIST_TEXT = 500
#: The author's name as the source gives it, kept with an imported comment.
MAX_AUTHOR = 200


class ImportFormat(StrEnum):
    #: Tasklane's own ``tasks.json`` (from an export ZIP).
    tasklane = "tasklane"
    #: A Trello board exported as JSON (Menu → Print, export and share → Export as JSON).
    trello = "trello"
    #: A Todoist project exported as a CSV template.
    todoist = "todoist"
    #: Any CSV file, with its columns named in a ``ColumnMapping``.
    csv = "csv"


class Severity(StrEnum):
    #: The row is not imported.
    error = "error"
    #: The row is imported, changed as the message says (a title shortened, a date dropped).
    warning = "warning"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row's problem. ``row`` is 1-based: a CSV record's number counting the header as
    record 1 (the row number a spreadsheet shows), or an item's position in its JSON array
    (``cards`` for Trello, ``tasks`` for Tasklane)."""

    row: int | None
    message: str
    severity: Severity = Severity.error
    field: str | None = None
    source_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "severity": self.severity.value,
            "field": self.field,
            "source_id": self.source_id,
            "message": self.message,
        }


class ImportRejected(ValidationFailed):
    """The file cannot be read on (422): malformed JSON, wrong columns, too many rows. The API
    answers it as it is; ``details`` says where (``row`` or ``offset``) and why (``reason``)."""

    def __init__(self, reason: str, message: str, **where: int | str | None) -> None:
        super().__init__(message, {"reason": reason, **where})
        self.reason = reason


class ImportTooLarge(PayloadTooLarge):
    """The file, or one record in it, is larger than the limits allow (413)."""

    def __init__(self, reason: str, message: str, **where: int | str | None) -> None:
        super().__init__(message, {"reason": reason, **where})
        self.reason = reason


def import_key(source: ImportFormat, *parts: str) -> str:
    """A stable, fixed-length key for one imported thing: ``<format>:<40 hex digits>``.

    ``parts`` are the source's ids from the outside in (board id, card id). Hashed, so
    arbitrary source ids fit in a key and say nothing about the source in a log."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{source.value}:{digest[:40]}"


class ImportedProject(Model):
    key: str
    source_id: str
    name: ProjectName
    description: ProjectDescription = ""
    archived: bool = False


class ChecklistItem(Model):
    text: str = Field(min_length=1, max_length=MAX_CHECKLIST_TEXT)
    done: bool = False


class ImportedComment(Model):
    source_id: str | None = None
    body: CommentBody
    #: Who wrote it, as the source names them (a display name or a Tasklane user id): shown
    #: with the comment; the importing user becomes its author.
    author: str | None = Field(default=None, max_length=MAX_AUTHOR)
    created_at: datetime | None = None
    #: From a Tasklane export: when it was last edited, and its version then.
    updated_at: datetime | None = None
    version: int | None = None


class TaskOrigin(Model):
    """What a Tasklane export said about the task beyond its content: kept so an import can
    show where a task came from and a round trip loses nothing."""

    id: str
    project_id: str
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str | None = None
    completed_at: str | None = None
    assignee_id: str | None = None
    version: int


class ImportedAttachment(Model):
    """A file an export ZIP carries for the task: the importer copies the member at ``path``
    (in the same ZIP) into a new attachment, checked as any upload is."""

    path: str = Field(max_length=1024, pattern=r"^attachments/[^\\]+$")
    file_name: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=255)
    size: int = Field(ge=0)
    id: str | None = Field(default=None, max_length=200)
    created_at: str | None = Field(default=None, max_length=40)
    created_by: str | None = Field(default=None, max_length=200)


class ImportedTask(Model):
    key: str
    source_id: str
    #: The ``key`` of the project it belongs to (yielded before it).
    project_key: str
    title: Title
    description: Description = ""
    status: Status = Status.todo
    priority: Priority = Priority.medium
    #: UTC. A source date without a time is placed at the import's all-day time in the
    #: import's time zone, and ``due_all_day`` says so.
    due_at: DueAt | None = None
    due_all_day: bool = False
    labels: Labels = Field(default_factory=list)
    checklist: list[ChecklistItem] = Field(default_factory=list)
    comments: list[ImportedComment] = Field(default_factory=list)
    attachments: list[ImportedAttachment] = Field(default_factory=list)
    archived: bool = False
    origin: TaskOrigin | None = None


ImportItem = ImportedProject | ImportedTask | RowProblem
