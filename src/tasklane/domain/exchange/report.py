"""The answer to a dry run: what an import would create, and every row's problem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.exchange.model import ImportFormat
from tasklane.domain.models import Priority, Status

#: Problems listed in one report; the counts still count them all.
MAX_REPORTED_PROBLEMS = 1_000
PREVIEW_TASKS = 20


class Problem(Model):
    row: int | None = Field(description="1-based; a CSV's header is row 1.")
    severity: str = Field(description="`error`: the row is left out; `warning`: imported, changed.")
    field: str | None
    source_id: str | None
    message: str


class PreviewTask(Model):
    title: str
    project: str
    status: Status
    priority: Priority
    due_at: datetime | None
    labels: list[str]
    archived: bool


class Rejection(Model):
    """Why the file as a whole could not be read (the API's 413 or 422)."""

    status: int
    code: str
    message: str
    details: dict[str, Any] | None = None


class ImportReport(Model):
    """A dry run's answer (what would be created), or a finished import's (what was)."""

    format: ImportFormat
    projects: int = 0
    tasks: int = 0
    skipped: int = Field(
        default=0, description="Tasks not created again: an earlier run of the import did."
    )
    project_ids: list[str] = Field(
        default_factory=list, description="A finished import: the projects it wrote to."
    )
    archived_tasks: int = 0
    comments: int = 0
    checklist_items: int = 0
    labels: int = Field(default=0, description="Distinct labels.")
    errors: int = Field(default=0, description="Rows left out.")
    warnings: int = 0
    problems: list[Problem] = Field(default_factory=list)
    problems_truncated: bool = False
    preview: list[PreviewTask] = Field(default_factory=list)
    rejected: Rejection | None = Field(
        default=None,
        description="Set when the file cannot be read on, or when a limit stopped the "
        "import (409 `limit_reached`: projects per user, tasks per project; `details` names "
        "the limit and its maximum); the counts are up to that point, and a re-run after "
        "making room goes on where it stopped.",
    )
