"""``RecipientDirectory`` (tasklane.domain.ports.recipients) on PostgreSQL: recipients'
profiles and the names notifications mention."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from tasklane.domain.notifications import Recipient
from tasklane.domain.ports.recipients import TaskPeople

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from tasklane.dal.postgres.database import PostgresDatabase


def recipient_from_row(row: Any) -> Recipient:
    m = row._mapping
    return Recipient(
        user_id=m["user_id"],
        email=m["email"],
        display_name=m["display_name"],
        time_zone=m["time_zone"],
        preferences={str(k): bool(v) for k, v in (m["notifications"] or {}).items()},
    )


def recipients(conn: Connection, user_ids: Collection[str]) -> dict[str, Recipient]:
    from sqlalchemy import text

    if not user_ids:
        return {}
    rows = conn.execute(
        text(
            "SELECT user_id, email, display_name, time_zone, notifications FROM profiles "
            "WHERE user_id = ANY(:ids)"
        ),
        {"ids": sorted(user_ids)},
    ).all()
    return {row.user_id: recipient_from_row(row) for row in rows}


class PostgresRecipientDirectory:
    """One short read per call, each on a connection of its own."""

    def __init__(self, database: PostgresDatabase) -> None:
        self._database = database

    def recipients(self, user_ids: Collection[str]) -> dict[str, Recipient]:
        with self._database.connection() as conn:
            return recipients(conn, user_ids)

    def project_name(self, project_id: str) -> str | None:
        from sqlalchemy import text

        with self._database.connection() as conn:
            value = conn.execute(
                text("SELECT name FROM projects WHERE project_id = :id"), {"id": project_id}
            ).scalar_one_or_none()
        return str(value) if value is not None else None

    def recipient_by_email(self, email: str) -> Recipient | None:
        from sqlalchemy import text

        with self._database.connection() as conn:
            row = conn.execute(
                text(
                    "SELECT user_id, email, display_name, time_zone, notifications FROM profiles "
                    "WHERE lower(email) = lower(:email) AND email <> ''"
                ),
                {"email": email.strip()},
            ).one_or_none()
        return recipient_from_row(row) if row is not None else None

    def members(self, project_id: str, user_ids: Collection[str]) -> set[str]:
        from sqlalchemy import text

        if not user_ids:
            return set()
        with self._database.connection() as conn:
            rows = conn.execute(
                text(
                    "SELECT user_id FROM project_members "
                    "WHERE project_id = :project AND user_id = ANY(:ids)"
                ),
                {"project": project_id, "ids": sorted(user_ids)},
            ).all()
        return {str(row.user_id) for row in rows}

    def task_people(self, task_id: str) -> TaskPeople | None:
        from sqlalchemy import text

        with self._database.connection() as conn:
            row = conn.execute(
                text(
                    "SELECT task_id, project_id, title, created_by, assignee_id FROM tasks "
                    "WHERE task_id = :id"
                ),
                {"id": task_id},
            ).one_or_none()
        if row is None:
            return None
        m = row._mapping
        return TaskPeople(
            task_id=m["task_id"],
            project_id=m["project_id"],
            title=m["title"],
            created_by=m["created_by"],
            assignee_id=m["assignee_id"],
        )
