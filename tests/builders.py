"""Test data the suites build alike (values only: no fixtures, no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tasklane.domain.board import default_position
from tasklane.domain.ids import inbox_project_id, new_project_id, new_task_id
from tasklane.domain.models import INBOX_NAME, Project, Role, Task
from tasklane.domain.projection import TaskRow

#: When the rows below were created and last changed, unless a test says otherwise.
ROW_TIME = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def task_row(task_id: str = "t1", **fields: Any) -> TaskRow:
    """A projected task: in project ``p1``, by ``user-ada``, version 1, todo, medium."""
    row = TaskRow(
        task_id=task_id,
        project_id="p1",
        title="Write the post",
        description="",
        status="todo",
        priority="medium",
        due_at=None,
        labels=[],
        created_at=ROW_TIME,
        updated_at=ROW_TIME,
        completed_at=None,
        created_by="user-ada",
        version=1,
    )
    return replace(row, **fields)


def project_model(owner: str, stamp: str, name: str = "Work", *, inbox: bool = False) -> Project:
    """A project as the API answers it to its owner."""
    return Project(
        id=inbox_project_id(owner) if inbox else new_project_id(),
        name=INBOX_NAME if inbox else name,
        description="",
        is_inbox=inbox,
        owner_id=owner,
        role=Role.owner,
        created_at=stamp,
        updated_at=stamp,
        version=1,
    )


def task_model(project_id: str, by: str, stamp: str, **fields: Any) -> Task:
    """A new task of ``by``'s in the project; ``fields`` override any field."""
    task_id = str(fields.get("id") or new_task_id(project_id))
    values: dict[str, Any] = {
        "id": task_id,
        "project_id": project_id,
        "title": "Write tests",
        "description": "",
        "status": "todo",
        "priority": "medium",
        "due_at": None,
        "labels": [],
        "created_at": stamp,
        "updated_at": stamp,
        "completed_at": None,
        "created_by": by,
        "updated_by": by,
        "position": default_position(task_id),  # the end of its column, as the API writes it
        "version": 1,
    }
    return Task.model_validate(values | fields)
