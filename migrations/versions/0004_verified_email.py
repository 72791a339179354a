"""Only verified e-mail addresses in profiles, one profile per address.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Until this revision a profile took the ``email`` claim as the token had it, verified or not:
anyone could change their address to someone else's and be found by it. No stored address
can be told verified from unverified, so every one is forgotten here; each profile gets its
address back, verified, from its user's next request (``ProfileService.ensure``). Until then
its user receives in-app notices but no e-mail.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE profiles SET email = ''")
    op.execute("DROP INDEX IF EXISTS profiles_email_lower")
    # Cognito gives a verified address to one user at a time; the upsert releases it from a
    # stale profile before another takes it. Empty means "no verified address".
    op.execute(
        "CREATE UNIQUE INDEX profiles_verified_email ON profiles (lower(email)) WHERE email <> ''"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS profiles_verified_email")
    op.execute("CREATE INDEX IF NOT EXISTS profiles_email_lower ON profiles (lower(email))")
