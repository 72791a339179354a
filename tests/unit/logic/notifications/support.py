"""What the notification tests build alike: people, stream changes, jobs (values only)."""

from __future__ import annotations

from typing import Any

from tasklane.domain.models import Project, Role
from tasklane.domain.notifications import (
    NotificationJob,
    NotificationKind,
    Recipient,
)
from tasklane.domain.profiles import EventKind, NotificationPreferences, Profile
from tasklane.domain.projection import MemberRow, ProjectRow
from tasklane.logic.stream import StreamChange
from tests.fakes.projects import InMemoryProjects
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.relational import RelationalState
from tests.fakes.table import InMemoryTable

PROJECT = "01jd0000000000000000000000"


TASK = f"{PROJECT}-01jd0000000000000000000001"


WEB = "https://app.example.com"


K = NotificationKind


ADA, BOB, CY = "user-ada", "user-bob", "user-cy"


def recipient(user_id: str, **preferences: bool) -> Recipient:
    name = user_id.removeprefix("user-").title()
    return Recipient(
        user_id=user_id,
        email=f"{name.lower()}@example.com",
        display_name=name,
        time_zone="Europe/Berlin",
        preferences=dict(preferences),
    )


def profile(user_id: str, **preferences: bool) -> Profile:
    """The profile :func:`recipient` describes (what the directory reads from PostgreSQL)."""
    r = recipient(user_id, **preferences)
    return Profile(
        user_id=r.user_id,
        email=r.email,
        display_name=r.display_name,
        time_zone=r.time_zone,
        notifications=NotificationPreferences(
            events={
                **dict.fromkeys(EventKind, True),
                **{EventKind(k): v for k, v in preferences.items()},
            }
        ),
        created_at="2025-01-01T00:00:00.000Z",
        updated_at="2025-01-01T00:00:00.000Z",
    )


def projected(*users: str) -> RelationalState:
    """Profiles of ``users`` and the project "Launch", as the projection holds them."""
    state = RelationalState()
    state.profiles = {u: profile(u) for u in users}
    state.projects[PROJECT] = ProjectRow(PROJECT, "Launch", False, ADA, 1)
    for seq, user in enumerate(users, start=1):
        state.members[(PROJECT, user)] = MemberRow(
            PROJECT, user, "owner" if user == ADA else "editor", seq
        )
    return state


def members_table(*users: str) -> InMemoryTable:
    """The table with the project "Launch" (Ada's) and ``users`` as its members."""
    table = InMemoryTable()
    stamp = "2025-01-01T00:00:00.000Z"
    InMemoryProjects(table).create_project(
        Project(
            id=PROJECT,
            name="Launch",
            description="",
            is_inbox=False,
            owner_id=ADA,
            role=Role.owner,
            created_at=stamp,
            updated_at=stamp,
            version=1,
        )
    )
    for user in users:
        if user != ADA:
            table.add_member(PROJECT, user, Role.editor)
    return table


def task(version: int = 1, **values: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "task",
        "task_id": TASK,
        "project_id": PROJECT,
        "title": "Write launch notes",
        "status": "todo",
        "created_by": ADA,
        "updated_by": ADA,
        "created_at": "2025-03-01T09:00:00.000Z",
        "updated_at": f"2025-03-01T09:{version:02d}:00.000Z",
        "version": version,
    }
    item.update(values)
    return {k: v for k, v in item.items() if v is not None}


def change(
    old: dict[str, Any] | None, new: dict[str, Any] | None, seq: str = "100"
) -> StreamChange:
    name = "INSERT" if old is None else ("REMOVE" if new is None else "MODIFY")
    return StreamChange(
        event_id=f"e{seq}",
        event_name=name,  # type: ignore[arg-type]
        sequence_number=seq,
        keys={"pk": f"PROJECT#{PROJECT}", "sk": "TASK#x"},
        old=old,
        new=new,
    )


def told(queue: InMemoryJobQueue) -> set[tuple[str, NotificationKind]]:
    return {(job.recipient_id, job.kind) for job in queue.jobs}


def comment(author: str, comment_id: str = "01jd0000000000000000000c01") -> StreamChange:
    return StreamChange(
        event_id="c1",
        event_name="INSERT",
        sequence_number="200",
        keys={"pk": f"PROJECT#{PROJECT}", "sk": f"COMMENT#x#{comment_id}"},
        old=None,
        new={
            "type": "comment",
            "comment_id": comment_id,
            "task_id": TASK,
            "project_id": PROJECT,
            "author_id": author,
            "body": "Looks   good,\nship it " + "!" * 400,
            "created_at": "2025-03-01T10:00:00.000Z",
            "updated_at": "2025-03-01T10:00:00.000Z",
            "version": 1,
        },
    )


def member(user: str, added_by: str | None, role: str = "editor") -> StreamChange:
    values = {
        "type": "member",
        "project_id": PROJECT,
        "user_id": user,
        "role": role,
        "added_by": added_by,
        "created_at": "2025-03-01T11:00:00.000Z",
    }
    return StreamChange(
        event_id="m1",
        event_name="INSERT",
        sequence_number="3000000000000000000000001",
        keys={"pk": f"PROJECT#{PROJECT}", "sk": f"MEMBER#{user}"},
        old=None,
        new={k: v for k, v in values.items() if v is not None},
    )


# -- texts ---------------------------------------------------------------------------------------
def job(kind: NotificationKind = K.task_assigned, **subject: Any) -> NotificationJob:
    return NotificationJob(
        id=f"assigned:{TASK}:1:{BOB}",
        kind=kind,
        recipient_id=BOB,
        actor_id=ADA,
        project_id=PROJECT,
        task_id=TASK,
        subject={
            "task_title": "Write launch notes",
            "project_name": "Launch",
            "actor_name": "Ada",
            **subject,
        },
        created_at="2025-03-01T09:01:00.000Z",
        recipient=recipient(BOB),
    )
