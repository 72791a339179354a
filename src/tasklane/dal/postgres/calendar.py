"""``CalendarSource`` (tasklane.domain.ports.calendar) on PostgreSQL: the open tasks a
user's calendar feed shows, from the projection.

One statement: the user's memberships joined to their projects' open, dated tasks (the
partial index ``tasks_open_due`` covers the filter), soonest first, with the project's name.
The projection follows the table's stream, so a change shows in the feed within seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from tasklane.domain.exchange.calendar import CalendarTask
from tasklane.domain.models import Priority

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CALENDAR_TASKS = text(
    """
    SELECT t.task_id, t.title, t.description, t.due_at, t.priority, t.labels,
           t.updated_at, t.version, p.name AS project_name
      FROM project_members m
      JOIN tasks t ON t.project_id = m.project_id
      JOIN projects p ON p.project_id = m.project_id
     WHERE m.user_id = :user_id AND t.status <> 'done' AND t.due_at IS NOT NULL
       AND t.deleted_at IS NULL  -- the trash is gone from every view (issue 17)
     ORDER BY t.due_at, t.task_id
     LIMIT :limit
    """
)


class PostgresCalendar:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def calendar_tasks(self, user_id: str, limit: int) -> list[CalendarTask]:
        rows = self._connection.execute(CALENDAR_TASKS, {"user_id": user_id, "limit": limit})
        return [_task(m) for m in rows.mappings()]


def _task(m: Any) -> CalendarTask:
    return CalendarTask(
        id=m["task_id"], title=m["title"], description=m["description"],
        due_at=m["due_at"], priority=Priority(m["priority"]),
        labels=tuple(m["labels"]), project_name=m["project_name"],
        updated_at=m["updated_at"], version=int(m["version"]),
    )  # fmt: skip
