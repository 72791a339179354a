"""Profiles and the projection of the DynamoDB table (projects, members, tasks).

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE profiles (
            user_id text PRIMARY KEY,                  -- the Cognito sub
            email text NOT NULL,
            display_name text NOT NULL,
            time_zone text NOT NULL DEFAULT 'UTC',     -- IANA, checked by the API
            notifications jsonb NOT NULL DEFAULT '{}'::jsonb,
            reminder_lead_minutes integer NOT NULL DEFAULT 60
                CHECK (reminder_lead_minutes BETWEEN 0 AND 10080),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    # The projection: rows follow the DynamoDB items through the stream (and reconcile).
    op.execute(
        """
        CREATE TABLE projects (
            project_id text PRIMARY KEY,
            name text NOT NULL,
            is_inbox boolean NOT NULL DEFAULT false,
            owner_id text NOT NULL,
            version bigint NOT NULL
        )
        """
    )
    # Who may see a project: one row per membership item. Membership items carry no
    # version, so the stream sequence number orders their changes.
    op.execute(
        """
        CREATE TABLE project_members (
            project_id text NOT NULL,
            user_id text NOT NULL,
            role text NOT NULL,
            seq numeric(40) NOT NULL,
            PRIMARY KEY (project_id, user_id)
        )
        """
    )
    op.execute("CREATE INDEX project_members_user ON project_members (user_id, project_id)")
    op.execute(
        """
        CREATE TABLE tasks (
            task_id text PRIMARY KEY,
            project_id text NOT NULL,
            title text NOT NULL,
            description text NOT NULL DEFAULT '',
            status text NOT NULL,
            priority text NOT NULL,
            due_at timestamptz,
            labels text[] NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            completed_at timestamptz,
            created_by text NOT NULL,
            version bigint NOT NULL,
            -- title A, labels B, description C; written with the row (see dal/postgres).
            search tsvector NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX tasks_search ON tasks USING gin (search)")
    # Stats and the per-project search path: a project's tasks by status and priority,
    # with due_at for the due-date buckets (index-only scans).
    op.execute(
        "CREATE INDEX tasks_project_status ON tasks (project_id, status, priority) INCLUDE (due_at)"
    )
    # Reminders (a later issue): open tasks falling due soon, across all users.
    op.execute("CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status <> 'done'")
    # Deleted items: a late or replayed stream record must not bring them back.
    op.execute(
        """
        CREATE TABLE tombstones (
            kind text NOT NULL,          -- task | project | member
            id text NOT NULL,
            version numeric(40) NOT NULL,
            deleted_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, id)
        )
        """
    )


def downgrade() -> None:
    for table in ("tombstones", "tasks", "project_members", "projects", "profiles"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
