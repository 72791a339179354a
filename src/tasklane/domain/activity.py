"""Activity history: who changed what and when, derived from the table's stream.

A stream consumer turns each change of a task, comment, attachment, membership or project
into :class:`ActivityEntry` values with :func:`entries_for` (no dual write: the request that
made the change never writes its history). The consumer hands this module the old and new
images already in API field names (``ActivityChange``); this module decides which changes
are worth an entry and what each entry says.

**Replays and reordering.** An entry's id is derived from the stream record (its event id
and sequence number) and from the time of the change the item itself records
(``updated_at`` and the like), never from the clock of the consumer: a replayed record
yields the same ids (a conditional put writes each once), and ids sort by when the changes
happened, whatever order the records arrive in. Within one millisecond, entries of the same
item sort by its ``version``, and the entries of one record in the order of :data:`FIELDS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field
from ulid import ULID

from tasklane.domain.base import Model
from tasklane.domain.models import format_time
from tasklane.domain.notifications import excerpt, parse_instant

#: Entries are kept this long (DynamoDB TTL), then expire.
RETENTION_DAYS = 365
#: How much of a long text (a description, a comment) an entry keeps.
TEXT_CHARS = 200
#: How much of a subject's name (a task title, a comment) an entry keeps as its label.
LABEL_CHARS = 80


class Subject(StrEnum):
    task = "task"
    comment = "comment"
    attachment = "attachment"
    member = "member"
    project = "project"


class Action(StrEnum):
    created = "created"
    updated = "updated"
    deleted = "deleted"
    #: Moved to the trash, or brought back from it (tasks).
    trashed = "trashed"
    restored = "restored"
    #: Projects.
    archived = "archived"
    unarchived = "unarchived"


#: The fields whose changes are recorded, per subject, in the order entries are made.
#: Everything else (versions, timestamps, positions, counters, keys) is bookkeeping.
FIELDS: dict[Subject, tuple[str, ...]] = {
    Subject.task: (
        "title",
        "status",
        "priority",
        "due_at",
        "assignee_id",
        "labels",
        "description",
        "recurrence",
        "checklist",
    ),
    Subject.comment: ("body",),
    Subject.attachment: (),
    Subject.member: ("role",),
    Subject.project: ("name", "description"),
}
#: A checklist change is recorded per item under this field name.
CHECKLIST_ITEM = "checklist_item"


class ActivityEntry(Model):
    id: str = Field(description="Sorts by time (a ULID); the same for a replayed change.")
    project_id: str
    task_id: str | None = Field(description="The task concerned; null for project changes.")
    subject: Subject
    subject_id: str = Field(
        description="The task, comment or attachment id, the member's user id or the project id."
    )
    label: str = Field(description="The subject's name when it changed (abbreviated).")
    action: Action
    field: str | None = Field(default=None, description="For `updated`: which field changed.")
    old: Any = None
    new: Any = None
    actor_id: str | None = Field(description="Who made the change; null if nobody did (expiry).")
    at: str = Field(description="When the change happened (UTC, RFC 3339).")


@dataclass(frozen=True, slots=True)
class ActivityChange:
    """One stream record of an item with a history, in API field names."""

    subject: Subject
    project_id: str
    event_id: str
    sequence_number: str
    #: The record's own time (``ApproximateCreationDateTime``): the time of a removal,
    #: whose old image cannot say when it was removed.
    recorded_at: datetime
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    #: Removed by DynamoDB's TTL (the record's ``userIdentity`` is the DynamoDB service),
    #: not by a user: see :func:`tasklane.domain.trash.removed_by_ttl`.
    expired: bool = False


def expires_at(at: str, retention_days: int = RETENTION_DAYS) -> int:
    """The entry's TTL (epoch seconds)."""
    return int((parse_instant(at) + timedelta(days=retention_days)).timestamp())


# -- values ------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A JSON value: numbers from DynamoDB (Decimal) as int or float, sets as sorted lists,
    long texts abbreviated."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return excerpt(value, TEXT_CHARS) if len(value) > TEXT_CHARS else value
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _comparable(field: str, value: Any) -> Any:
    # A recurring task's series also moves its occurrence number and wall time on "skip":
    # the history shows the rule, and the due date's own entry shows the move.
    if field == "recurrence" and isinstance(value, Mapping):
        return value.get("rule")
    return value


def _checklist(items: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(items, Sequence):
        return {}
    return {str(item["id"]): item for item in items if isinstance(item, Mapping) and "id" in item}


def _item_view(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": item["id"], "text": _plain(item.get("text", "")), "done": bool(item.get("done"))}


def _checklist_changes(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """One change per added, removed, edited or (un)ticked item; a move is not a change."""
    before, after = _checklist(old), _checklist(new)
    changes: list[tuple[str, Any, Any]] = []
    for item_id in sorted(before.keys() | after.keys()):
        was, now = before.get(item_id), after.get(item_id)
        if was is None and now is not None:
            changes.append((CHECKLIST_ITEM, None, _item_view(now)))
        elif now is None and was is not None:
            changes.append((CHECKLIST_ITEM, _item_view(was), None))
        elif was is not None and now is not None and _item_view(was) != _item_view(now):
            changes.append((CHECKLIST_ITEM, _item_view(was), _item_view(now)))
    return changes


def _field_changes(
    subject: Subject, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    changes: list[tuple[str, Any, Any]] = []
    for field in FIELDS[subject]:
        if field == "checklist":
            changes += _checklist_changes(old.get(field), new.get(field))
            continue
        was, now = _comparable(field, old.get(field)), _comparable(field, new.get(field))
        if _plain(was) != _plain(now):
            changes.append((field, _plain(was), _plain(now)))
    return changes


# -- who, when, what ---------------------------------------------------------------------------
def _first(image: Mapping[str, Any] | None, names: Sequence[str]) -> Any:
    for name in names:
        if image is not None and image.get(name) not in (None, ""):
            return image[name]
    return None


#: Where each subject keeps who made a change: (on creation, on a change, on removal).
#: A removal's old image names the remover only if the item recorded it before it was
#: removed (a trashed task's ``deleted_by`` is who trashed it, not who purged it); an
#: expired item (TTL) was removed by nobody.
_ACTOR_FIELDS: dict[Subject, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    Subject.task: (("created_by",), ("updated_by",), ("purged_by",)),
    Subject.comment: (("author_id",), ("author_id",), ("deleted_by",)),
    Subject.attachment: (("created_by",), ("created_by",), ("deleted_by",)),
    Subject.member: (("added_by",), ("updated_by",), ("removed_by",)),
    Subject.project: (("owner_id",), ("updated_by",), ("deleted_by",)),
}
_CREATED_AT = ("created_at", "added_at")
_CHANGED_AT = ("updated_at", "completed_at")


def _subject_id(subject: Subject, image: Mapping[str, Any]) -> str:
    return str(image["user_id"] if subject is Subject.member else image["id"])


def _task_id(subject: Subject, image: Mapping[str, Any]) -> str | None:
    if subject is Subject.task:
        return str(image["id"])
    if subject in (Subject.comment, Subject.attachment):
        return str(image["task_id"])
    return None


_LABELS: dict[Subject, Callable[[Mapping[str, Any]], Any]] = {
    Subject.task: lambda image: image.get("title"),
    Subject.comment: lambda image: image.get("body"),
    Subject.attachment: lambda image: image.get("file_name"),
    Subject.member: lambda image: _first(image, ("display_name", "email", "user_id")),
    Subject.project: lambda image: image.get("name"),
}


def _label(subject: Subject, image: Mapping[str, Any]) -> str:
    return excerpt(str(_LABELS[subject](image) or ""), LABEL_CHARS)


def _version(image: Mapping[str, Any]) -> int:
    version = image.get("version")
    return int(version) if isinstance(version, int | Decimal) else 0


def entry_id(change: ActivityChange, at: datetime, version: int, index: int) -> str:
    """A ULID whose time is the change's and whose randomness is the item's version, a hash
    of the stream record and the entry's index in it: the same for a replayed record."""
    millis = int(at.timestamp() * 1000)
    digest = hashlib.sha256(f"{change.event_id}|{change.sequence_number}".encode()).digest()
    randomness = (version % 2**32).to_bytes(4, "big") + digest[:5] + index.to_bytes(1, "big")
    return str(ULID.from_bytes(millis.to_bytes(6, "big") + randomness)).lower()


def _kind(change: ActivityChange) -> tuple[Action, list[tuple[str | None, Any, Any]]] | None:
    """What happened: the action and its field changes, or None for nothing worth an entry."""
    old, new, subject = change.old, change.new, change.subject
    if subject is Subject.attachment:
        # An attachment exists for its history once its upload is complete: pending uploads
        # that are abandoned (and swept) never happened.
        old = old if old is not None and old.get("status") == "ready" else None
        new = new if new is not None and new.get("status") == "ready" else None
    if old is None and new is None:
        return None
    if old is None:
        return Action.created, [(None, None, None)]
    if new is None:
        return Action.deleted, [(None, None, None)]
    for marker, on, off in (
        ("deleted_at", Action.trashed, Action.restored),
        ("archived_at", Action.archived, Action.unarchived),
    ):
        if (old.get(marker) is None) != (new.get(marker) is None):
            return (on if new.get(marker) is not None else off), [(None, None, None)]
    changes = _field_changes(subject, old, new)
    return (Action.updated, list(changes)) if changes else None


def entries_for(change: ActivityChange) -> list[ActivityEntry]:
    """The history entries one stream record makes: none for bookkeeping, one for a
    creation, removal, trashing or restoring, one per changed field otherwise."""
    kind = _kind(change)
    if kind is None:
        return []
    action, changes = kind
    image = change.new if change.new is not None else change.old
    assert image is not None  # _kind returns None when both are
    creation, modification, removal = _ACTOR_FIELDS[change.subject]
    if action is Action.created:
        actor = _first(change.new, creation)
        when = _first(change.new, ("completed_at", *_CREATED_AT))
    elif action is Action.deleted:
        actor, when = (None if change.expired else _first(change.old, removal)), None
    elif action in (Action.trashed, Action.archived):
        actor = _first(change.new, ("deleted_by", "archived_by", *modification))
        when = _first(change.new, ("deleted_at", "archived_at"))
    else:
        actor, when = _first(change.new, modification), _first(change.new, _CHANGED_AT)
    at = parse_instant(when) if isinstance(when, str) else change.recorded_at
    version = _version(image)
    return [
        ActivityEntry(
            id=entry_id(change, at, version, index),
            project_id=change.project_id,
            task_id=_task_id(change.subject, image),
            subject=change.subject,
            subject_id=_subject_id(change.subject, image),
            label=_label(change.subject, image),
            action=action,
            field=field,
            old=old,
            new=new,
            actor_id=None if actor is None else str(actor),
            at=format_time(at),
        )
        for index, (field, old, new) in enumerate(changes)
    ]


class ActivityPage(Model):
    items: list[ActivityEntry]
    next_cursor: str | None = Field(description="Newest first; null on the last page.")
