"""Finding users among the profiles (to share a project with them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tasklane.domain.models import Person

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def find_by_email(conn: Connection, email: str) -> Person | None:
    """The user with this e-mail address, compared case-insensitively (one statement, on
    the ``lower(email)`` index). Cognito keeps addresses unique in the pool; should an
    address still be on two profiles (an account deleted and signed up again), the most
    recently created one is the live account."""
    from sqlalchemy import text

    row = conn.execute(
        text(
            """
            SELECT user_id, email, display_name FROM profiles
            WHERE lower(email) = lower(:email)
            ORDER BY created_at DESC
            LIMIT 1
            """
        ),
        {"email": email.strip()},
    ).one_or_none()
    if row is None:
        return None
    return Person(user_id=row.user_id, email=row.email, display_name=row.display_name)
