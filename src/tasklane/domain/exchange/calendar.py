"""A user's calendar feed: the tasks it shows, and what the API answers about it.

The feed itself is written by :mod:`tasklane.logic.exchange.calendar`; its URL's token by
:mod:`tasklane.domain.exchange.feed_tokens`.
"""

from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.models import Priority, Status, Task


@dataclass(frozen=True, slots=True)
class CalendarTask:
    id: str
    title: str
    description: str
    due_at: datetime
    priority: Priority
    labels: tuple[str, ...]
    project_name: str
    updated_at: datetime
    version: int

    @classmethod
    def from_task(cls, task: Task, project_name: str) -> "CalendarTask | None":
        """None for a task the feed leaves out: done, or without a due date."""
        if task.due_at is None or task.status is Status.done:
            return None
        return cls(
            id=task.id, title=task.title, description=task.description,
            due_at=datetime.fromisoformat(task.due_at), priority=task.priority,
            labels=tuple(task.labels), project_name=project_name,
            updated_at=datetime.fromisoformat(task.updated_at), version=task.version,
        )  # fmt: skip


class CalendarFeed(Model):
    url: str = Field(
        description="Your personal iCalendar feed (RFC 5545): subscribe to it in a calendar "
        "program. Anyone with the URL can read your open tasks' titles and due dates: "
        "regenerate it if it leaked."
    )
    created_at: str
