"""``ProjectionStore`` (tasklane.domain.ports.projection) on PostgreSQL: every write guarded.

Each statement is idempotent and order-tolerant on its own:

- tasks and projects carry ``version``; a row is only replaced by a higher version;
- membership items carry no version, so the stream's sequence number (increasing for the
  changes of one item) orders them;
- a removal leaves a tombstone, so a late INSERT/MODIFY of a removed item is ignored (ids are
  never reused), and a removed project's late task and membership records too.

``force=True`` (reconcile --fix) writes DynamoDB's state whatever the row holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tasklane.domain.projection import (
    MemberRow,
    ProjectionSnapshot,
    ProjectRow,
    TaskRow,
    member_key,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: The weighted document: title A, labels B, description C. Search ranks with these weights.
SEARCH_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, :title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, array_to_string(CAST(:labels AS text[]), ' ')),"
    " 'B') || "
    "setweight(to_tsvector('english'::regconfig, :description), 'C')"
)


def _text(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)


_NOT_BURIED = """
    NOT EXISTS (SELECT 1 FROM tombstones WHERE kind = 'project' AND id = :project_id)
"""


def upsert_task(conn: Connection, row: TaskRow, *, force: bool = False) -> bool:
    """True if the row was written (a newer version, or forced)."""
    guard = "" if force else "WHERE tasks.version < EXCLUDED.version"
    buried = (
        ""
        if force
        else f"""WHERE {_NOT_BURIED} AND NOT EXISTS (
            SELECT 1 FROM tombstones WHERE kind = 'task' AND id = :task_id)"""  # noqa: S608
    )  # nosec B608 - fixed fragments of this module; values are bound parameters
    result = conn.execute(
        _text(
            f"""
            INSERT INTO tasks (task_id, project_id, title, description, status, priority,
                               due_at, labels, created_at, updated_at, completed_at,
                               created_by, version, assignee_id, deleted_at, search)
            SELECT :task_id, :project_id, :title, :description, :status, :priority,
                   :due_at, CAST(:labels AS text[]), :created_at, :updated_at, :completed_at,
                   :created_by, :version, :assignee_id, :deleted_at, {SEARCH_VECTOR}
            {buried}
            ON CONFLICT (task_id) DO UPDATE SET
                project_id = EXCLUDED.project_id, title = EXCLUDED.title,
                description = EXCLUDED.description, status = EXCLUDED.status,
                priority = EXCLUDED.priority, due_at = EXCLUDED.due_at,
                labels = EXCLUDED.labels, created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at, completed_at = EXCLUDED.completed_at,
                created_by = EXCLUDED.created_by, version = EXCLUDED.version,
                assignee_id = EXCLUDED.assignee_id, deleted_at = EXCLUDED.deleted_at,
                search = EXCLUDED.search
            {guard}
            """
        ),  # nosec B608 - fixed fragments of this module; values are bound parameters
        row.params(),
    )
    return bool(result.rowcount)


def remove_task(conn: Connection, task_id: str, version: int) -> None:
    conn.execute(_text("DELETE FROM tasks WHERE task_id = :id"), {"id": task_id})
    _bury(conn, "task", task_id, version)


def upsert_project(conn: Connection, row: ProjectRow, *, force: bool = False) -> bool:
    guard = "" if force else "WHERE projects.version < EXCLUDED.version"
    buried = "" if force else f"WHERE {_NOT_BURIED}"
    result = conn.execute(
        _text(
            f"""
            INSERT INTO projects (project_id, name, is_inbox, owner_id, version)
            SELECT :project_id, :name, :is_inbox, :owner_id, :version
            {buried}
            ON CONFLICT (project_id) DO UPDATE SET
                name = EXCLUDED.name, is_inbox = EXCLUDED.is_inbox,
                owner_id = EXCLUDED.owner_id, version = EXCLUDED.version
            {guard}
            """
        ),  # nosec B608 - fixed fragments of this module; values are bound parameters
        {
            "project_id": row.project_id,
            "name": row.name,
            "is_inbox": row.is_inbox,
            "owner_id": row.owner_id,
            "version": row.version,
        },
    )
    return bool(result.rowcount)


def remove_project(conn: Connection, project_id: str, version: int) -> None:
    """The project, its memberships and every task still in it: DynamoDB purges the rest of
    the partition later (each purge is a REMOVE that then finds nothing to do), or never,
    if the purge crashed — the projection must not wait for it."""
    params = {"id": project_id}
    conn.execute(_text("DELETE FROM tasks WHERE project_id = :id"), params)
    conn.execute(_text("DELETE FROM project_members WHERE project_id = :id"), params)
    conn.execute(_text("DELETE FROM projects WHERE project_id = :id"), params)
    _bury(conn, "project", project_id, version)


def upsert_member(conn: Connection, row: MemberRow, *, force: bool = False) -> bool:
    guard = "" if force else "WHERE project_members.seq < EXCLUDED.seq"
    buried = (
        ""
        if force
        else f"""WHERE {_NOT_BURIED} AND NOT EXISTS (
            SELECT 1 FROM tombstones
            WHERE kind = 'member' AND id = :key AND version >= :seq)"""  # noqa: S608
    )  # nosec B608 - fixed fragments of this module; values are bound parameters
    result = conn.execute(
        _text(
            f"""
            INSERT INTO project_members (project_id, user_id, role, seq)
            SELECT :project_id, :user_id, :role, :seq
            {buried}
            ON CONFLICT (project_id, user_id) DO UPDATE SET
                role = EXCLUDED.role, seq = EXCLUDED.seq
            {guard}
            """
        ),  # nosec B608 - fixed fragments of this module; values are bound parameters
        {
            "project_id": row.project_id,
            "user_id": row.user_id,
            "role": row.role,
            "seq": row.seq,
            "key": member_key(row.project_id, row.user_id),
        },
    )
    return bool(result.rowcount)


def remove_member(
    conn: Connection, project_id: str, user_id: str, seq: int, *, force: bool = False
) -> None:
    """Unlike tasks, a membership can come back (sharing): the removal wins only over
    changes older than itself (``force``: whatever the row's sequence number)."""
    guard = "" if force else " AND seq <= :seq"
    conn.execute(
        _text(
            "DELETE FROM project_members "  # noqa: S608 - a fixed fragment
            f"WHERE project_id = :project_id AND user_id = :user_id{guard}"
        ),
        {"project_id": project_id, "user_id": user_id, "seq": seq},
    )
    _bury(conn, "member", member_key(project_id, user_id), seq)


def _bury(conn: Connection, kind: str, item_id: str, version: int) -> None:
    conn.execute(
        _text(
            """
            INSERT INTO tombstones (kind, id, version) VALUES (:kind, :id, :version)
            ON CONFLICT (kind, id) DO UPDATE
                SET version = GREATEST(tombstones.version, EXCLUDED.version),
                    deleted_at = now()
            """
        ),
        {"kind": kind, "id": item_id, "version": version},
    )


def prune_tombstones(conn: Connection, older_than: datetime) -> int:
    """Stream records live 24 hours: older tombstones can no longer stop anything."""
    result = conn.execute(
        _text("DELETE FROM tombstones WHERE deleted_at < :cutoff"), {"cutoff": older_than}
    )
    return int(result.rowcount)


def snapshot(conn: Connection) -> ProjectionSnapshot:
    """Every row's version (tasks, projects) or role (memberships): three statements."""
    tasks = conn.execute(_text("SELECT task_id, version FROM tasks"))
    projects = conn.execute(_text("SELECT project_id, version FROM projects"))
    members = conn.execute(_text("SELECT project_id, user_id, role FROM project_members"))
    return ProjectionSnapshot(
        tasks={r[0]: int(r[1]) for r in tasks},
        projects={r[0]: int(r[1]) for r in projects},
        members={(r[0], r[1]): str(r[2]) for r in members},
    )


class PostgresProjection:
    """The projection's statements, on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def upsert_task(self, row: TaskRow, *, force: bool = False) -> bool:
        return upsert_task(self._conn, row, force=force)

    def remove_task(self, task_id: str, version: int) -> None:
        remove_task(self._conn, task_id, version)

    def upsert_project(self, row: ProjectRow, *, force: bool = False) -> bool:
        return upsert_project(self._conn, row, force=force)

    def remove_project(self, project_id: str, version: int) -> None:
        remove_project(self._conn, project_id, version)

    def upsert_member(self, row: MemberRow, *, force: bool = False) -> bool:
        return upsert_member(self._conn, row, force=force)

    def remove_member(
        self, project_id: str, user_id: str, seq: int, *, force: bool = False
    ) -> None:
        remove_member(self._conn, project_id, user_id, seq, force=force)

    def snapshot(self) -> ProjectionSnapshot:
        return snapshot(self._conn)

    def prune_tombstones(self, older_than: datetime) -> int:
        return prune_tombstones(self._conn, older_than)
