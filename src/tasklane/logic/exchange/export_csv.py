"""``tasks.csv``: one row per task, for spreadsheets.

UTF-8 with a byte-order mark (Excel reads UTF-8 only with one), CRLF line ends, RFC 4180
quoting; every cell passes :func:`~tasklane.logic.exchange.spreadsheet.neutralise`, so no
task text can run as a formula. Labels are joined with ``", "``, checklist items one per
line as ``[x] text``; comments are counted (their text is in tasks.json); attachments give
their paths in the ZIP, one per line.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import TextIO

from tasklane.domain.exchange.export import ExportTask
from tasklane.logic.exchange.spreadsheet import neutralise

COLUMNS = (
    "id", "project_id", "project", "title", "description", "status", "priority", "due_at",
    "labels", "assignee_id", "created_at", "created_by", "updated_at", "updated_by",
    "completed_at", "archived", "checklist", "comments", "attachments", "version",
)  # fmt: skip


def _cells(task: ExportTask, project: str) -> list[str]:
    return [
        task.id, task.project_id, project, task.title, task.description, task.status.value,
        task.priority.value, task.due_at or "", ", ".join(task.labels), task.assignee_id or "",
        task.created_at, task.created_by, task.updated_at, task.updated_by or "",
        task.completed_at or "", "yes" if task.archived else "no",
        "\n".join(f"[{'x' if item.done else ' '}] {item.text}" for item in task.checklist),
        str(len(task.comments)),
        "\n".join(a.path for a in task.attachments if a.path),
        str(task.version),
    ]  # fmt: skip


class TasksCsvWriter:
    def __init__(self, out: TextIO, project_names: Mapping[str, str]) -> None:
        out.write("\ufeff")
        self._writer = csv.writer(out, lineterminator="\r\n")
        self._writer.writerow(COLUMNS)
        self._projects = project_names

    def task(self, task: ExportTask) -> None:
        project = self._projects.get(task.project_id, "")
        self._writer.writerow([neutralise(cell) for cell in _cells(task, project)])
