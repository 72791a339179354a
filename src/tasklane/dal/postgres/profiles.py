"""Profile rows."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tasklane.domain.models import format_time
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
    """The profile, created from the token's claims if there is none; one statement.

    ``DO UPDATE`` with a no-op (not ``DO NOTHING``) so that RETURNING always yields the row,
    also when a concurrent first request inserted it a moment earlier: two first requests
    create one row and both see it.
    """
    from sqlalchemy import text

    row = conn.execute(
        text(
            f"""
            INSERT INTO profiles (user_id, email, display_name, notifications)
            VALUES (:sub, :email, :name, CAST(:notifications AS jsonb))
            ON CONFLICT (user_id) DO UPDATE SET user_id = profiles.user_id
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
