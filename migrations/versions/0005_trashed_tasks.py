"""Trashed tasks: kept in the projection (a restore brings them back) but hidden.

A trashed task's row keeps its version, so later and replayed stream records stay ordered;
``deleted_at`` hides it from search, stats and reminders. The reminders' partial index
leaves trashed tasks out, so the claim's range scan never meets them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tasks ADD COLUMN deleted_at timestamptz")
    op.execute("DROP INDEX IF EXISTS tasks_open_due")
    op.execute(
        """
        CREATE INDEX tasks_open_due ON tasks (due_at)
            INCLUDE (assignee_id, created_by, project_id)
            WHERE status <> 'done' AND due_at IS NOT NULL AND deleted_at IS NULL
        """
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS tasks_open_due")
    op.execute(
        """
        CREATE INDEX tasks_open_due ON tasks (due_at)
            INCLUDE (assignee_id, created_by, project_id)
            WHERE status <> 'done' AND due_at IS NOT NULL
        """
    )
    op.execute("ALTER TABLE tasks DROP COLUMN deleted_at")
