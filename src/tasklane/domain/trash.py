"""The trash: a deleted task waits there, restorable, until it is purged.

Deleting a task marks it (``deleted_at``, ``deleted_by``, ``purge_at``) instead of removing
it: one write, and its comments, attachments and checklist stay where they are, unreachable
through a trashed task. Everything that lists tasks (lists, the board, search, stats,
reminders) leaves trashed ones out (:func:`is_trashed`). Restoring clears the marks (same
id, same children). At ``purge_at`` DynamoDB's TTL removes the task item, and the stream's
removal purges its children (:data:`PURGED_WITH_A_TASK`), exactly as a permanent delete does.

TTL removes expired items within a few days, not on the second: a task past its
``purge_at`` is treated as gone already (:func:`is_expired`), so nobody restores or sees
what is about to vanish.

Consequences for the adapters (not decided here): the table has one TTL attribute
(``expires_at``), so ``purge_at`` is stored there and removed on restore; the PostgreSQL
projection hides a trashed task's row but must not tombstone it (a restore brings the same
id back, with a higher version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.models import Role, format_time
from tasklane.domain.notifications import parse_instant

DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 365
#: Who may restore a task or delete it for good (a viewer may do neither).
RESTORE_ROLES = frozenset({Role.owner, Role.editor})
PURGE_ROLES = RESTORE_ROLES
#: The DynamoDB service, as a stream record's ``userIdentity`` names it for a TTL removal.
_TTL_PRINCIPAL = "dynamodb.amazonaws.com"


class Child(StrEnum):
    """What goes with a task when it is purged, besides the task item (which holds its
    checklist), and which stream consumer removes it on the task's removal."""

    #: ``logic.membership_cleanup``.
    comments = "comments"
    #: Items and every version of every object: ``logic.attachment_cleanup``.
    attachments = "attachments"
    #: The task's own history entries (a project's feed keeps its "deleted" entry).
    activity = "activity"
    #: The search and stats row: ``logic.projection``.
    projection = "projection"


PURGED_WITH_A_TASK = tuple(Child)


class ProjectState(StrEnum):
    active = "active"
    archived = "archived"
    #: Deleted, or the caller is not a member: either way nothing to restore into.
    missing = "missing"


def check_retention_days(days: int) -> int:
    """The setting's range: at least a day, at most a year."""
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValueError(f"trash retention must be 1-{MAX_RETENTION_DAYS} days")
    return days


def purge_at(deleted_at: datetime, retention_days: int = DEFAULT_RETENTION_DAYS) -> int:
    """When a task trashed at ``deleted_at`` is purged: the TTL value (epoch seconds)."""
    moment = deleted_at + timedelta(days=check_retention_days(retention_days))
    return int(moment.timestamp())


def trash_changes(
    user_id: str, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS
) -> dict[str, Any]:
    """The fields a delete sets on the task (API names; ``purge_at`` is the TTL)."""
    return {
        "deleted_at": format_time(now),
        "deleted_by": user_id,
        "purge_at": purge_at(now, retention_days),
    }


@dataclass(frozen=True, slots=True)
class Trashed:
    deleted_at: str
    deleted_by: str
    purge_at: int


def trashed(task: Mapping[str, Any]) -> Trashed | None:
    """The trash marks of a task (API field names), or None if it is not in the trash."""
    if task.get("deleted_at") is None:
        return None
    return Trashed(
        deleted_at=str(task["deleted_at"]),
        deleted_by=str(task.get("deleted_by", "")),
        purge_at=int(task.get("purge_at", 0)),
    )


def is_trashed(task: Mapping[str, Any]) -> bool:
    """Left out of every list, the board, search, stats and reminders."""
    return trashed(task) is not None


def is_expired(marks: Trashed, now: datetime) -> bool:
    """Past its purge time: gone for the API, whether or not TTL has removed it yet."""
    return now.timestamp() >= marks.purge_at


def in_trash(task: Mapping[str, Any], now: datetime) -> bool:
    """Listed by the project's trash: trashed and not yet expired."""
    marks = trashed(task)
    return marks is not None and not is_expired(marks, now)


def removed_by_ttl(user_identity: Mapping[str, Any] | None) -> bool:
    """Whether a stream record's removal was DynamoDB's TTL (not a user's delete)."""
    return bool(
        user_identity
        and user_identity.get("type") == "Service"
        and user_identity.get("principalId") == _TTL_PRINCIPAL
    )


@dataclass(frozen=True, slots=True)
class RestoreConditions:
    """What the restoring write must still find true when it happens (DynamoDB condition
    checks in its transaction): checked earlier on a read, they could change meanwhile."""

    project_id: str
    #: The task is still in the trash with this mark (not restored or re-trashed since).
    deleted_at: str
    #: This user is still a member of the project (None: the task is unassigned, or is
    #: being restored unassigned).
    assignee_id: str | None


def check_restore(
    task: Mapping[str, Any] | None,
    *,
    role: Role,
    project: ProjectState,
    assignee_is_member: bool,
    now: datetime,
    unassign: bool = False,
) -> tuple[dict[str, Any], RestoreConditions]:
    """Whether the caller may restore ``task`` (API field names; None if there is none),
    and if so the changes to write (trash marks cleared; the assignee cleared if they left
    the project and ``unassign`` says so) and what the write must check.

    404: no such task, its project is gone, or it expired. 403: a viewer. 409: not in the
    trash, the project is archived, or the assignee left (``details.reason``)."""
    if task is None or project is ProjectState.missing:
        raise NotFound("no such task")
    marks = trashed(task)
    if marks is not None and is_expired(marks, now):
        raise NotFound("no such task")
    if role not in RESTORE_ROLES:
        raise Forbidden("only the project's owner and editors can restore tasks")
    if marks is None:
        raise Conflict("the task is not in the trash", {"reason": "not_in_trash"})
    if project is ProjectState.archived:
        raise Conflict(
            "the project is archived: restore the project first", {"reason": "project_archived"}
        )
    changes: dict[str, Any] = {"deleted_at": None, "deleted_by": None, "purge_at": None}
    assignee = task.get("assignee_id")
    if assignee is not None and not assignee_is_member:
        if not unassign:
            raise Conflict(
                "the assignee is no longer a member of the project; restore it unassigned",
                {"reason": "assignee_not_member", "assignee_id": assignee},
            )
        changes["assignee_id"] = None
        assignee = None
    conditions = RestoreConditions(
        project_id=str(task["project_id"]), deleted_at=marks.deleted_at, assignee_id=assignee
    )
    return changes, conditions


def archive_changes(user_id: str, now: datetime) -> dict[str, Any]:
    """Archiving a project (instead of deleting it): read-only and out of the sidebar."""
    return {"archived_at": format_time(now), "archived_by": user_id}


def unarchive_changes() -> dict[str, Any]:
    return {"archived_at": None, "archived_by": None}


def project_state(project: Mapping[str, Any] | None) -> ProjectState:
    """A project (API field names, None if absent or not visible to the caller)."""
    if project is None:
        return ProjectState.missing
    return ProjectState.archived if project.get("archived_at") else ProjectState.active


def project_archived() -> Conflict:
    """What a write into an archived project answers (409, ``details.reason``)."""
    return Conflict(
        "the project is archived (read-only): unarchive it first", {"reason": "project_archived"}
    )


def ensure_writable(state: ProjectState) -> None:
    """Every write into a project (its tasks, comments, members) needs it active."""
    if state is ProjectState.missing:
        raise NotFound("no such project")
    if state is ProjectState.archived:
        raise project_archived()


def listed_order(task: Mapping[str, Any]) -> tuple[datetime, str]:
    """The trash lists the most recently deleted first: sort by this, descending."""
    return parse_instant(str(task["deleted_at"])), str(task["id"])
