"""``ProfileStore`` (tasklane.domain.ports.profiles) on PostgreSQL: the ``profiles`` table."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tasklane.domain.models import Person, format_time
from tasklane.domain.profiles import Identity, NotificationPreferences, Profile

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_COLUMNS = (
    "user_id, email, display_name, time_zone, notifications, reminder_lead_minutes, "
    "created_at, updated_at"
)


def _profile(row: Any) -> Profile:
    m = row._mapping
    return Profile(
        user_id=m["user_id"],
        email=m["email"],
        display_name=m["display_name"],
        time_zone=m["time_zone"],
        notifications=NotificationPreferences(
            events={**NotificationPreferences().events, **(m["notifications"] or {})},
            reminder_lead_minutes=m["reminder_lead_minutes"],
        ),
        created_at=format_time(m["created_at"]),
        updated_at=format_time(m["updated_at"]),
    )


def upsert(conn: Connection, identity: Identity) -> Profile:
    """The profile, created from the token's claims if there is none, its e-mail address
    brought up to the token's verified one; one statement, two when the address is new here.

    ``identity.email`` is verified (or empty: then the stored address stays). Cognito gives a
    verified address to one user of the pool at a time, so a profile that still holds it (an
    account deleted, or an address given up and verified by someone else since) loses it
    first: ``profiles_verified_email`` keeps one profile per address.

    ``DO UPDATE`` (never ``DO NOTHING``) so that RETURNING always yields the row, also when a
    concurrent first request inserted it a moment earlier: two first requests create one row
    and both see it.
    """
    from sqlalchemy import text

    if identity.email:
        conn.execute(
            text(
                "UPDATE profiles SET email = '', updated_at = now() "
                "WHERE lower(email) = lower(:email) AND user_id <> :sub"
            ),
            {"email": identity.email, "sub": identity.sub},
        )
    row = conn.execute(
        text(
            f"""
            INSERT INTO profiles (user_id, email, display_name, notifications)
            VALUES (:sub, :email, :name, CAST(:notifications AS jsonb))
            ON CONFLICT (user_id) DO UPDATE SET
                email = CASE WHEN EXCLUDED.email = '' THEN profiles.email
                             ELSE EXCLUDED.email END,
                updated_at = CASE WHEN EXCLUDED.email IN ('', profiles.email)
                                  THEN profiles.updated_at ELSE now() END
            RETURNING {_COLUMNS}
            """  # noqa: S608 - a fixed column list
        ),
        {
            "sub": identity.sub,
            "email": identity.email,
            "name": identity.default_display_name(),
            "notifications": json.dumps(
                NotificationPreferences().model_dump(mode="json")["events"]
            ),
        },
    ).one()
    return _profile(row)


def get(conn: Connection, user_id: str) -> Profile | None:
    from sqlalchemy import text

    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM profiles WHERE user_id = :id"),  # noqa: S608 - fixed columns
        {"id": user_id},
    ).one_or_none()
    return _profile(row) if row is not None else None


def update(conn: Connection, user_id: str, changes: dict[str, Any]) -> Profile | None:
    """Applies the validated changes; notification events merge into the stored ones."""
    from sqlalchemy import text

    notifications = changes.get("notifications") or {}
    row = conn.execute(
        text(
            f"""
            UPDATE profiles SET
                display_name = COALESCE(:display_name, display_name),
                time_zone = COALESCE(:time_zone, time_zone),
                notifications = notifications || CAST(:events AS jsonb),
                reminder_lead_minutes = COALESCE(:lead, reminder_lead_minutes),
                updated_at = now()
            WHERE user_id = :id
            RETURNING {_COLUMNS}
            """  # noqa: S608 - a fixed column list
        ),
        {
            "id": user_id,
            "display_name": changes.get("display_name"),
            "time_zone": changes.get("time_zone"),
            "events": json.dumps(notifications.get("events") or {}),
            "lead": notifications.get("reminder_lead_minutes"),
        },
    ).one_or_none()
    return _profile(row) if row is not None else None


def time_zone(conn: Connection, user_id: str) -> str | None:
    from sqlalchemy import text

    value = conn.execute(
        text("SELECT time_zone FROM profiles WHERE user_id = :id"), {"id": user_id}
    ).scalar_one_or_none()
    return str(value) if value is not None else None


def find_by_email(conn: Connection, email: str) -> Person | None:
    """The user whose verified address this is, compared case-insensitively (one statement,
    on the unique ``profiles_verified_email`` index: at most one profile has it)."""
    from sqlalchemy import text

    if not email.strip():
        return None
    row = conn.execute(
        text(
            "SELECT user_id, email, display_name FROM profiles "
            "WHERE lower(email) = lower(:email) AND email <> ''"
        ),
        {"email": email.strip()},
    ).one_or_none()
    if row is None:
        return None
    return Person(user_id=row.user_id, email=row.email, display_name=row.display_name)


class PostgresProfiles:
    """The profile statements, on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def upsert(self, identity: Identity) -> Profile:
        return upsert(self._conn, identity)

    def get(self, user_id: str) -> Profile | None:
        return get(self._conn, user_id)

    def update(self, user_id: str, changes: dict[str, Any]) -> Profile | None:
        return update(self._conn, user_id, changes)

    def time_zone(self, user_id: str) -> str | None:
        return time_zone(self._conn, user_id)

    def find_by_email(self, email: str) -> Person | None:
        return find_by_email(self._conn, email)
