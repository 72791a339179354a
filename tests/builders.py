"""Test data the suites build alike (values only: no fixtures, no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

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
