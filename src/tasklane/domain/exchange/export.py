"""The export document: what ``tasks.json`` holds, field by field, and where attachments go
in the ZIP.

``tasks.json`` is one JSON object, written as a stream::

    {"format": "tasklane-export", "version": 1, "exported_at": "…", "exported_by": "…",
     "project_id": null | "…",
     "projects": [ExportProject, …],
     "tasks": [ExportTask, …]}

``projects`` comes before ``tasks``, and every task's ``project_id`` is one of the
projects. Attachments' files are stored under :func:`attachment_path`; each task lists its
attachments with that path (``null`` when the file could not be read at export time).
"""

from __future__ import annotations

from pydantic import Field

from tasklane.domain.attachments import sanitise_file_name
from tasklane.domain.base import Model
from tasklane.domain.models import Task

EXPORT_FORMAT = "tasklane-export"
EXPORT_VERSION = 1
TASKS_JSON = "tasks.json"
TASKS_CSV = "tasks.csv"
ATTACHMENTS_DIR = "attachments"


class ExportProject(Model):
    id: str
    name: str
    description: str
    is_inbox: bool
    owner_id: str
    created_at: str
    updated_at: str
    version: int
    archived: bool = False


class ExportChecklistItem(Model):
    text: str
    done: bool = False


class ExportComment(Model):
    id: str
    author_id: str
    body: str
    created_at: str
    updated_at: str
    version: int


class ExportAttachment(Model):
    id: str
    file_name: str
    size: int
    content_type: str
    created_at: str
    created_by: str
    path: str | None = Field(
        default=None, description="Where the file is in the ZIP; null if it was not included."
    )


class ExportTask(Task):
    """Every field of a task, and what hangs off it."""

    # An item's text and state only: ids and positions are made anew on import.
    checklist: list[ExportChecklistItem] = Field(default_factory=list)  # type: ignore[assignment]
    comments: list[ExportComment] = Field(default_factory=list)
    attachments: list[ExportAttachment] = Field(default_factory=list)
    archived: bool = False


class ExportHeader(Model):
    format: str = EXPORT_FORMAT
    version: int = EXPORT_VERSION
    exported_at: str
    exported_by: str
    project_id: str | None = Field(
        default=None, description="The project exported; null for everything the user reads."
    )


def attachment_path(task_id: str, attachment_id: str, file_name: str) -> str:
    """``attachments/<task id>/<attachment id>-<file name>``: ids first, so two files of the
    same name never collide, and the name sanitised, so unpacking the ZIP cannot write
    outside its folder (no ``..``, no absolute paths, no reserved names)."""
    # Sanitised twice: the name alone (so a "/" in it cannot drop the id), then the joined
    # name, which only shortens it to 255 bytes where needed (the extension kept).
    name = sanitise_file_name(f"{attachment_id}-{sanitise_file_name(file_name)}")
    return f"{ATTACHMENTS_DIR}/{task_id}/{name}"
