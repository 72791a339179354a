"""The attachment summaries on the task item: a list is one read of the task."""

from __future__ import annotations

import json
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.attachments import (
    summaries_from_task_item,
    summary_attribute,
    summary_value,
)
from tasklane.domain.attachments import (
    Attachment,
    AttachmentStatus,
)
from tasklane.domain.models import Task

TASK_ID = "01jq0000000000000000000p01-01jq0000000000000000000t01"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(n: int, status: str = "pending", completed_at: str | None = None) -> Attachment:
    return Attachment(
        id=f"01jq0000000000000000000{n:03d}",
        task_id=TASK_ID,
        file_name=f"Résumé {n}.pdf",
        size=1000 + n,
        content_type=PDF,
        status=AttachmentStatus(status),
        created_at=f"2025-03-01T09:30:{n:02d}.000000Z",
        created_by="user-a",
        completed_at=completed_at,
    )


def _task_item_with(attachments: list[Attachment]) -> dict[str, Any]:
    task = Task(
        id=TASK_ID,
        project_id=TASK_ID.split("-")[0],
        title="t",
        description="",
        status="todo",
        priority="medium",
        due_at=None,
        labels=["x"],
        created_at="2025-03-01T09:30:00.000000Z",
        updated_at="2025-03-01T09:30:00.000000Z",
        completed_at=None,
        created_by="user-a",
        version=1,
    )
    item = it.task_to_item(task)
    item["attachment_count"] = {"N": str(len(attachments))}
    for a in attachments:
        item[summary_attribute(a.id)] = summary_value(a)
    return item


def test_summaries_give_back_the_list_entries_oldest_first() -> None:
    entries = [_attachment(2, "ready", "2025-03-01T09:31:00.000000Z"), _attachment(1)]
    item = _task_item_with(entries)
    assert summaries_from_task_item(item, TASK_ID) == sorted(entries, key=lambda a: a.id)
    assert "completed_at" not in item[summary_attribute(entries[1].id)]["M"]


def test_the_largest_summaries_keep_the_task_item_far_below_400_kb() -> None:
    a = _attachment(1, "ready", "2025-03-01T09:31:00.000000Z").model_copy(
        update={"file_name": "é" * 127 + ".pdf", "content_type": DOCX, "created_by": "u" * 128}
    )
    # The typed JSON is larger than DynamoDB's count of the attribute: an upper bound.
    typed = {summary_attribute(a.id): summary_value(a)}
    size = len(json.dumps(typed, ensure_ascii=False).encode())
    assert size < 800  # x 20 attachments per task: < 16 KB of the item's 400 KB


def test_task_readers_ignore_the_summaries() -> None:
    """Task responses, the PostgreSQL projection and reconcile read named attributes only."""
    from tasklane.logic.projection import task_row

    bare = _task_item_with([])
    item = _task_item_with([_attachment(1), _attachment(2, "ready", "2025-03-01T10:00:00Z")])
    assert it.task_from_item(item) == it.task_from_item(bare)
    assert task_row(it.deserialize(item)) == task_row(it.deserialize(bare))
