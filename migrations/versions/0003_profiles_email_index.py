"""Profiles found by e-mail address (sharing a project), case-insensitively.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not UNIQUE: Cognito already keeps addresses unique, and a deleted account's stale
    # profile must not stop a new sign-up's profile from being written.
    op.execute("CREATE INDEX IF NOT EXISTS profiles_email_lower ON profiles (lower(email))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS profiles_email_lower")
