"""The PostgreSQL projection of the table: the rows it holds (no I/O here).

Tasks and projects carry the ``version`` of the item they came from; memberships the
stream sequence number of the change that wrote them (they have no version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class TaskRow:
    task_id: str
    project_id: str
    title: str
    description: str
    status: str
    priority: str
    due_at: datetime | None
    labels: list[str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    created_by: str
    version: int
    assignee_id: str | None = None
    #: Set while the task is in its project's trash: the row stays, hidden from every read.
    deleted_at: datetime | None = None

    def params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ProjectRow:
    project_id: str
    name: str
    is_inbox: bool
    owner_id: str
    version: int


@dataclass(frozen=True, slots=True)
class MemberRow:
    project_id: str
    user_id: str
    role: str
    #: The stream sequence number of the change that wrote it (0: written by reconcile).
    seq: int


@dataclass(slots=True)
class ProjectionSnapshot:
    """What reconcile compares: each row's version (tasks, projects) or role (members)."""

    tasks: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    members: dict[tuple[str, str], str] = field(default_factory=dict)


def member_key(project_id: str, user_id: str) -> str:
    """A membership's name in reports and tombstones."""
    return f"{project_id}/{user_id}"
