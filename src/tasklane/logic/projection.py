"""The PostgreSQL projection of the table: a stream consumer.

Maps each change of a project, membership or task item to a guarded write of the
``ProjectionStore`` port (:mod:`tasklane.domain.ports.projection`): replays and
out-of-order records leave exactly the state DynamoDB has. Memberships are projected too,
so search and stats can restrict to the caller's projects; sharing (more membership items)
needs no change here. A task's assignee is projected with it (the reminders find whom to
remind by it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tasklane.domain.projection import MemberRow, ProjectRow, TaskRow
from tasklane.logic.stream import StreamChange

if TYPE_CHECKING:
    from tasklane.domain.ports.projection import ProjectionStore
    from tasklane.domain.ports.relational import Relational

#: Item types the projection follows; everything else (idempotency records, …) is skipped.
PROJECTED = frozenset({"task", "project", "member"})


def parse_time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00").replace("z", "+00:00"))


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | Decimal | str) else 0


def task_row(item: dict[str, Any]) -> TaskRow:
    created = parse_time(item["created_at"])
    updated = parse_time(item["updated_at"])
    if created is None or updated is None:
        raise ValueError("a task item without created_at or updated_at")
    return TaskRow(
        task_id=item["task_id"],
        project_id=item["project_id"],
        title=item["title"],
        description=item.get("description", "") or "",
        status=item["status"],
        priority=item["priority"],
        due_at=parse_time(item.get("due_at")),
        labels=[str(label) for label in item.get("labels", []) or []],
        created_at=created,
        updated_at=updated,
        completed_at=parse_time(item.get("completed_at")),
        created_by=item.get("created_by", ""),
        version=_int(item["version"]),
        assignee_id=item.get("assignee_id"),
        deleted_at=parse_time(item.get("deleted_at")),
    )


def project_row(item: dict[str, Any]) -> ProjectRow:
    return ProjectRow(
        project_id=item["project_id"],
        name=item["name"],
        is_inbox=bool(item.get("is_inbox", False)),
        owner_id=item["owner_id"],
        version=_int(item["version"]),
    )


def member_row(item: dict[str, Any], seq: int) -> MemberRow:
    return MemberRow(
        project_id=item["project_id"], user_id=item["user_id"], role=item["role"], seq=seq
    )


def sequence(change: StreamChange) -> int:
    """Sequence numbers are decimal strings (up to 40 digits) increasing per item."""
    digits = change.sequence_number
    return int(digits) if digits.isdigit() else 0


def apply(db: ProjectionStore, change: StreamChange) -> None:
    """One change, in the caller's transaction."""
    kind = change.item_type
    item = change.image
    if kind == "task":
        if change.removed:
            db.remove_task(item["task_id"], _int(item.get("version")))
        else:
            db.upsert_task(task_row(item))
    elif kind == "project":
        # Marked deleted: gone from search and stats now, before the purge has run.
        if change.removed or item.get("deleted_at") is not None:
            db.remove_project(item["project_id"], _int(item.get("version")))
        else:
            db.upsert_project(project_row(item))
    elif kind == "member":
        if change.removed:
            db.remove_member(item["project_id"], item["user_id"], sequence(change))
        else:
            db.upsert_member(member_row(item, sequence(change)))


class ProjectionConsumer:
    """A :class:`tasklane.logic.stream.StreamConsumer`: one transaction per change."""

    name = "projection"

    def __init__(self, database: Relational) -> None:
        self._database = database

    def handle(self, change: StreamChange) -> None:
        if change.item_type not in PROJECTED:
            return
        with self._database.transaction() as tx:
            apply(tx.projection, change)
