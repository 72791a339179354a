"""Assignees in the projection, and the reminders already sent.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tasks ADD COLUMN assignee_id text")
    # Reminders: open tasks falling due, by the user they go to (assignee, else creator).
    op.execute("DROP INDEX IF EXISTS tasks_open_due")
    op.execute(
        """
        CREATE INDEX tasks_open_due ON tasks (due_at)
            INCLUDE (assignee_id, created_by, project_id)
            WHERE status <> 'done' AND due_at IS NOT NULL
        """
    )
    # One row per reminder enqueued: the primary key is what makes "once per task per due
    # date" hold when two runs overlap (INSERT ... ON CONFLICT DO NOTHING RETURNING).
    op.execute(
        """
        CREATE TABLE reminders_sent (
            task_id text NOT NULL,
            due_at timestamptz NOT NULL,
            kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
            recipient_id text NOT NULL,
            enqueued_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (task_id, due_at, kind)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS reminders_sent")
    op.execute("DROP INDEX IF EXISTS tasks_open_due")
    op.execute("CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status <> 'done'")
    op.execute("ALTER TABLE tasks DROP COLUMN IF EXISTS assignee_id")
