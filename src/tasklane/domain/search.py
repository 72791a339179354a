"""Search and stats over the PostgreSQL projection: requests and answers."""

from datetime import datetime

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Priority, Status, Task

MAX_QUERY = 256


class SearchQuery(Model):
    q: str = Field(max_length=MAX_QUERY * 4)
    project_id: str | None = None
    status: Status | None = None
    priority: Priority | None = None
    label: str | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    def fingerprint(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"limit"})


class Highlights(Model):
    title: str = Field(description="HTML-escaped title; matches wrapped in <mark></mark>.")
    description: str = Field(
        description="HTML-escaped fragments of the description around the matches, "
        "matches wrapped in <mark></mark>; empty when the description does not match."
    )


class SearchHit(Model):
    task: Task
    rank: float = Field(description="Relevance; higher first. Title > labels > description.")
    highlights: Highlights


class SearchPage(Model):
    items: list[SearchHit]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class Counts(Model):
    total: int = 0
    by_status: dict[Status, int] = Field(default_factory=lambda: dict.fromkeys(Status, 0))
    by_priority: dict[Priority, int] = Field(default_factory=lambda: dict.fromkeys(Priority, 0))
    overdue: int = Field(default=0, description="Not done, due date passed.")
    due_today: int = Field(default=0, description="Not done, due today (caller's time zone).")
    due_this_week: int = Field(
        default=0, description="Not done, due this ISO week, Monday to Sunday (caller's zone)."
    )

    def add(self, other: "Counts") -> None:
        self.total += other.total
        self.overdue += other.overdue
        self.due_today += other.due_today
        self.due_this_week += other.due_this_week
        for status, n in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + n
        for priority, n in other.by_priority.items():
            self.by_priority[priority] = self.by_priority.get(priority, 0) + n


class ProjectStats(Model):
    project_id: str
    name: str
    counts: Counts


class Stats(Model):
    time_zone: str
    as_of: str = Field(description="UTC, RFC 3339: 'now' for overdue and the day and week.")
    total: Counts
    projects: list[ProjectStats]
