"""``ReminderLedger`` (tasklane.domain.ports.reminders) on PostgreSQL: claiming the
reminders that are due in one statement, select and insert together.

``reminders_sent`` has one row per (task, due date, kind). The statement below finds open
tasks whose reminder is due and has no row yet, inserts the rows with
``ON CONFLICT DO NOTHING`` and returns only those it inserted. Two runs at once may pick the
same tasks, but the second one's insert waits on the first one's uncommitted rows: if the
first commits, the second inserts (and returns) nothing for them; if it rolls back, the
second claims them. So whatever the overlap, a reminder is claimed by one committed run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tasklane.dal.postgres.recipients import recipient_from_row
from tasklane.domain.ports.reminders import ClaimedReminder
from tasklane.domain.profiles import MAX_REMINDER_LEAD_MINUTES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: Used when the recipient has no profile (so no lead of their own): the column's default.
DEFAULT_LEAD_MINUTES = 60

_CLAIM = """
WITH candidates AS (
    SELECT t.task_id, t.project_id, t.title, t.due_at,
           COALESCE(t.assignee_id, t.created_by) AS recipient_id,
           CASE WHEN t.due_at <= :now THEN 'overdue' ELSE 'due_soon' END AS kind,
           pr.name AS project_name,
           p.user_id, p.email, p.display_name, p.time_zone, p.notifications
    FROM tasks t
    LEFT JOIN profiles p ON p.user_id = COALESCE(t.assignee_id, t.created_by)
    LEFT JOIN projects pr ON pr.project_id = t.project_id
    WHERE t.status <> 'done'
      AND t.due_at IS NOT NULL
      AND t.deleted_at IS NULL
      -- the partial index tasks_open_due serves this range; the longest lead bounds it
      AND t.due_at > :oldest
      AND t.due_at <= :latest
      AND t.due_at <= :now
          + make_interval(mins => COALESCE(p.reminder_lead_minutes, :default_lead))
      -- only a member hears of the project's tasks: a removed assignee or creator is not
      -- reminded (their assignment may outlive them for a moment)
      AND EXISTS (
          SELECT 1 FROM project_members m
          WHERE m.project_id = t.project_id
            AND m.user_id = COALESCE(t.assignee_id, t.created_by)
      )
      AND NOT EXISTS (
          SELECT 1 FROM reminders_sent r
          WHERE r.task_id = t.task_id AND r.due_at = t.due_at
            AND r.kind = CASE WHEN t.due_at <= :now THEN 'overdue' ELSE 'due_soon' END
      )
    ORDER BY t.due_at
    LIMIT :limit
),
claimed AS (
    INSERT INTO reminders_sent (task_id, due_at, kind, recipient_id)
    SELECT task_id, due_at, kind, recipient_id FROM candidates
    ON CONFLICT DO NOTHING
    RETURNING task_id, kind
)
SELECT c.* FROM candidates c JOIN claimed USING (task_id, kind)
ORDER BY c.due_at
"""


def claim_due(
    conn: Connection, now: datetime, overdue_lookback: timedelta, limit: int
) -> list[ClaimedReminder]:
    """Claims (inserts) and returns up to ``limit`` reminders due at ``now``, in the caller's
    transaction: roll it back and they are unclaimed again."""
    from sqlalchemy import text

    rows = conn.execute(
        text(_CLAIM),
        {
            "now": now,
            "oldest": now - overdue_lookback,
            "latest": now + timedelta(minutes=MAX_REMINDER_LEAD_MINUTES),
            "default_lead": DEFAULT_LEAD_MINUTES,
            "limit": limit,
        },
    ).all()
    return [_claimed(row) for row in rows]


def _claimed(row: Any) -> ClaimedReminder:
    m = row._mapping
    return ClaimedReminder(
        task_id=m["task_id"],
        project_id=m["project_id"],
        title=m["title"],
        project_name=m["project_name"],
        due_at=m["due_at"],
        overdue=m["kind"] == "overdue",
        recipient_id=m["recipient_id"],
        recipient=recipient_from_row(row) if m["user_id"] is not None else None,
    )


class PostgresReminders:
    """The claim, on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def claim_due(
        self, now: datetime, overdue_lookback: timedelta, limit: int
    ) -> list[ClaimedReminder]:
        return claim_due(self._conn, now, overdue_lookback, limit)
