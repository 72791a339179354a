"""Live messages: what an open page is told when the table changes (issue 16).

Pure functions over plain data, no I/O. The fan-out consumer (phase B) turns each stream
change into at most one :class:`Routed` message with :func:`from_change`, asks the
subscription store who listens on its channels, keeps the recipients :func:`may_receive`
allows, :func:`coalesce`\\ s a batch's deliveries per connection and posts
:func:`pack`\\ ed payloads with ``PostToConnection``.

A message, as the client receives it (inside ``{"type": "changes", "changes": [...]}``)::

    {"kind": "task", "op": "updated", "id": "<task id>", "project_id": "<project id>",
     "version": 7, "seq": "<stream sequence number>", "changed": ["due_at"],
     "actor_id": "<who changed it>", "item": {...the task as GET /tasks/{id} answers...}}

- ``item`` is the item exactly as a member reads it through the API (the same pydantic view,
  so no key, index attribute or attachment summary leaks); null for deletions, and when the
  item would not fit in one post (then refetch it).
- ``changed`` names the fields a MODIFY changed, bookkeeping (``version``, ``updated_at``,
  ``updated_by``) aside: "Bob changed the due date".
- Ordering: ``version`` for versioned items (projects, tasks, comments), else the stream's
  ``seq`` (memberships, attachments, notices, the unread counter), which increases for
  successive changes of one item. A client applies a message only if it is newer than what
  it holds (:func:`order`); a deletion is newer than the last version it removes.

Channels: project items go to the project's subscribers; a membership also to the member's
own user channel (shared with you, role changed, removed); notices and the unread counter
only to their user's channel.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from tasklane.domain.attachments import Attachment
from tasklane.domain.models import Comment, Member, Project, Role, Task
from tasklane.domain.notifications import Notification

#: API Gateway's limit on one PostToConnection payload (and one WebSocket message).
MAX_POST_BYTES = 128 * 1024
#: Changes that say nothing by themselves: every write moves them.
BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})


class Kind(StrEnum):
    project = "project"
    member = "member"
    task = "task"
    comment = "comment"
    attachment = "attachment"
    #: An in-app notice (user channel).
    notification = "notification"
    #: The user's unread-notice count (user channel).
    unread = "unread"


class Op(StrEnum):
    created = "created"
    updated = "updated"
    deleted = "deleted"


#: The kinds a project's channel carries; a role reads them if it is listed. Every role
#: reads every one of them through the API (docs/api.md, "Sharing: members and roles"), so
#: a viewer receives exactly what an editor does; a non-member receives nothing.
PROJECT_READERS: Mapping[Kind, frozenset[Role]] = {
    kind: frozenset(Role)
    for kind in (Kind.project, Kind.member, Kind.task, Kind.comment, Kind.attachment)
}


@dataclass(frozen=True, slots=True)
class LiveMessage:
    kind: Kind
    op: Op
    id: str
    project_id: str | None
    #: The item's version (projects, tasks, comments); None for unversioned items.
    version: int | None
    #: The stream sequence number of the change (decimal digits).
    seq: str
    changed: tuple[str, ...] = ()
    actor_id: str | None = None
    item: Mapping[str, Any] | None = None

    @property
    def key(self) -> tuple[Kind, str, str]:
        """What the message is about: one item (a member's id is unique per project only)."""
        return self.kind, self.project_id or "", self.id

    def without_item(self) -> LiveMessage:
        """The same change without the item: the client refetches it."""
        return replace(self, item=None)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "op": self.op.value,
            "id": self.id,
            "project_id": self.project_id,
            "version": self.version,
            "seq": self.seq,
            "changed": list(self.changed),
            "actor_id": self.actor_id,
            "item": dict(self.item) if self.item is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Routed:
    """A message and the channels it goes to."""

    message: LiveMessage
    #: The project channel, or None.
    project_id: str | None
    #: User channels.
    user_ids: tuple[str, ...] = ()


class ImageChange(Protocol):
    """What :func:`from_change` reads of a stream change
    (:class:`tasklane.logic.stream.StreamChange` is one)."""

    @property
    def sequence_number(self) -> str: ...

    @property
    def keys(self) -> dict[str, Any]: ...

    @property
    def old(self) -> dict[str, Any] | None: ...

    @property
    def new(self) -> dict[str, Any] | None: ...


# Views: the item as the API shows it ---------------------------------------------------------
# Each builds the API's own model from a deserialized image, so the live item cannot carry a
# field the API would not show, and cannot miss one it would.

Image = Mapping[str, Any]


def _task_view(image: Image) -> dict[str, Any]:
    data = {"description": "", "labels": [], "due_at": None, "completed_at": None, **image}
    data["id"] = image["task_id"]
    # Items written before tasks recorded their last writer: the creator wrote last.
    data.setdefault("updated_by", image["created_by"])
    return Task.model_validate(data).model_dump(mode="json")


def _comment_view(image: Image) -> dict[str, Any]:
    return Comment.model_validate({**image, "id": image["comment_id"]}).model_dump(mode="json")


def _attachment_view(image: Image) -> dict[str, Any]:
    data = {**image, "id": image["attachment_id"]}
    return Attachment.model_validate(data).model_dump(mode="json")


def _member_view(image: Image) -> dict[str, Any]:
    data = {"email": "", "display_name": "", **image, "added_at": image["created_at"]}
    data.setdefault("added_by", image["user_id"])
    return Member.model_validate(data).model_dump(mode="json")


def _project_view(image: Image) -> dict[str, Any]:
    # `role` is the reader's own, not the project's: every subscriber gets the same item,
    # and learns its role from its membership's messages.
    data = {"description": "", "is_inbox": False, **image, "id": image["project_id"]}
    data["role"] = Role.viewer  # validated, then left out
    return Project.model_validate(data).model_dump(mode="json", exclude={"role"})


def _notification_view(image: Image) -> dict[str, Any]:
    data = {**image, "id": image["note_id"]}
    return Notification.model_validate(data).model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class _Shape:
    kind: Kind
    view: Callable[[Image], dict[str, Any]]
    #: The item's id within its kind.
    id_field: str
    versioned: bool
    #: Who made a created/updated change, when the item says so.
    actor: Callable[[Image, Op], str | None]


def _no_actor(image: Image, op: Op) -> str | None:
    return None


def _field_actor(name: str, *ops: Op) -> Callable[[Image, Op], str | None]:
    def actor(image: Image, op: Op) -> str | None:
        value = image.get(name) if op in ops else None
        return str(value) if value is not None else None

    return actor


_SHAPES: Mapping[str, _Shape] = {
    # Only the owner changes a project; only the author changes a comment; a task records
    # its last writer; a membership and an attachment record who made them.
    "project": _Shape(
        Kind.project, _project_view, "project_id", True, _field_actor("owner_id", Op.updated)
    ),
    "member": _Shape(
        Kind.member, _member_view, "user_id", False, _field_actor("added_by", Op.created)
    ),
    "task": _Shape(
        Kind.task,
        _task_view,
        "task_id",
        True,
        _field_actor("updated_by", Op.created, Op.updated),
    ),
    "comment": _Shape(
        Kind.comment,
        _comment_view,
        "comment_id",
        True,
        _field_actor("author_id", Op.created, Op.updated),
    ),
    "attachment": _Shape(
        Kind.attachment,
        _attachment_view,
        "attachment_id",
        False,
        _field_actor("created_by", Op.created),
    ),
    "notification": _Shape(Kind.notification, _notification_view, "note_id", False, _no_actor),
}

#: The unread counter: ``INBOX#<user id>`` / ``UNREAD`` (tasklane.dal.dynamodb.notifications).
_INBOX_PREFIX = "INBOX#"
_COUNTER_SK = "UNREAD"


def from_change(change: ImageChange) -> Routed | None:
    """The live message for one stream change, or None when no reader would see a difference
    (an item of no interest, or a change to attributes no API view shows)."""
    old, new = change.old, change.new
    image = new if new is not None else old
    if image is None:
        return None
    shape = _SHAPES.get(str(image.get("type", "")))
    if shape is None:
        return _counter_change(change, image)
    # The trash (and a project marked deleted): readers see a move into it as a deletion and
    # a restore as a creation; changes inside it are nobody's.
    if new is not None and new.get("deleted_at"):
        if old is not None and old.get("deleted_at"):
            return None
        new = None
    elif old is not None and old.get("deleted_at"):
        old = None
    op = Op.created if old is None else Op.deleted if new is None else Op.updated
    changed: tuple[str, ...] = ()
    item: dict[str, Any] | None = None
    if new is not None:
        item = shape.view(new)
        if old is not None:
            before = shape.view(old)
            if before == item:
                return None
            changed = tuple(
                name for name in item if name not in BOOKKEEPING and before.get(name) != item[name]
            )
    version = int(image["version"]) if shape.versioned else None
    project_id = image.get("project_id")
    message = LiveMessage(
        kind=shape.kind,
        op=op,
        id=str(image[shape.id_field]),
        project_id=str(project_id) if project_id is not None else None,
        version=version,
        seq=change.sequence_number,
        changed=changed,
        actor_id=shape.actor(image, op),
        item=item,
    )
    if shape.kind is Kind.notification:
        return Routed(message, project_id=None, user_ids=(str(image["user_id"]),))
    users = (str(image["user_id"]),) if shape.kind is Kind.member else ()
    return Routed(message, project_id=message.project_id, user_ids=users)


def _counter_change(change: ImageChange, image: Image) -> Routed | None:
    pk, sk = str(change.keys.get("pk", "")), str(change.keys.get("sk", ""))
    if sk != _COUNTER_SK or not pk.startswith(_INBOX_PREFIX):
        return None
    user_id = pk.removeprefix(_INBOX_PREFIX)
    unread = int(change.new.get("unread", 0)) if change.new is not None else 0
    message = LiveMessage(
        kind=Kind.unread,
        op=Op.updated,
        id=user_id,
        project_id=None,
        version=None,
        seq=change.sequence_number,
        item={"unread": max(unread, 0)},
    )
    return Routed(message, project_id=None, user_ids=(user_id,))


def may_receive(message: LiveMessage, role: Role | None) -> bool:
    """Whether a project subscriber with ``role`` (None: no longer a member) may receive a
    project-channel message. User-channel messages go to their user only."""
    return role is not None and role in PROJECT_READERS.get(message.kind, frozenset())


# Ordering and coalescing --------------------------------------------------------------------


def order(message: LiveMessage) -> tuple[int, int]:
    """Newer messages about one item order higher. Versioned items: the version, and a
    deletion above the last version it removes; others: the stream sequence number."""
    if message.version is not None:
        return message.version, int(message.op is Op.deleted)
    return int(message.seq), 0


def _better(candidate: LiveMessage, kept: LiveMessage) -> bool:
    """Newer wins; at the same point (a replay, or one change reaching a connection through
    two channels) the copy with the item wins."""
    if order(candidate) != order(kept):
        return order(candidate) > order(kept)
    return kept.item is None and candidate.item is not None


def newest(messages: Iterable[LiveMessage]) -> list[LiveMessage]:
    """One message per item, the newest, in stream order. A deleted project takes every
    other project-channel message of its project with it: the client drops the project."""
    kept: dict[tuple[Kind, str, str], LiveMessage] = {}
    for message in messages:
        current = kept.get(message.key)
        if current is None or _better(message, current):
            kept[message.key] = message
    gone = {m.id for m in kept.values() if m.kind is Kind.project and m.op is Op.deleted}
    survivors = [
        m
        for m in kept.values()
        if not (m.project_id in gone and m.kind in PROJECT_READERS and m.kind is not Kind.project)
    ]
    return sorted(survivors, key=lambda m: int(m.seq))


def coalesce(deliveries: Iterable[tuple[str, LiveMessage]]) -> dict[str, list[LiveMessage]]:
    """A batch's ``(connection id, message)`` pairs → each connection's messages: one per
    item, the newest, in stream order — so never an older version after a newer one."""
    per_connection: dict[str, list[LiveMessage]] = {}
    for connection_id, message in deliveries:
        per_connection.setdefault(connection_id, []).append(message)
    return {connection: newest(messages) for connection, messages in per_connection.items()}


class HighWater:
    """The newest :func:`order` sent per item, for the last ``capacity`` items: a sender that
    keeps one across batches (one per container) drops a replayed or late older message
    instead of sending it after a newer one. Best effort: a new container starts empty, so
    clients still apply only messages newer than what they hold."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[tuple[Kind, str, str], tuple[int, int]] = OrderedDict()

    def is_newer(self, message: LiveMessage) -> bool:
        """Whether ``message`` is newer than anything sent for its item (remembers nothing:
        a sender calls :meth:`admit` once it was sent, so a batch retried after a failure
        still sends it)."""
        seen = self._seen.get(message.key)
        return seen is None or order(message) > seen

    def admit(self, message: LiveMessage) -> bool:
        """True (and remembered) if ``message`` is newer than anything sent for its item."""
        point = order(message)
        seen = self._seen.get(message.key)
        if seen is not None:
            self._seen.move_to_end(message.key)
            if point <= seen:
                return False
        self._seen[message.key] = point
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


# Payloads ------------------------------------------------------------------------------------

_ENVELOPE_HEAD = b'{"type":"changes","changes":['
_ENVELOPE_TAIL = b"]}"


def encode(message: LiveMessage, max_bytes: int = MAX_POST_BYTES) -> bytes:
    """One message as compact JSON; without its item when it would not fit in a post."""
    data = _dumps(message)
    if len(data) + len(_ENVELOPE_HEAD) + len(_ENVELOPE_TAIL) > max_bytes:
        data = _dumps(message.without_item())
    return data


def _dumps(message: LiveMessage) -> bytes:
    return json.dumps(message.to_json(), separators=(",", ":"), ensure_ascii=False).encode()


def pack(encoded: Sequence[bytes], max_bytes: int = MAX_POST_BYTES) -> list[bytes]:
    """Encoded messages (see :func:`encode`; encode each once and reuse it for every
    connection) → as few ``{"type": "changes", "changes": [...]}`` payloads as fit in
    ``max_bytes`` each, in order."""
    posts: list[bytes] = []
    current: list[bytes] = []
    size = len(_ENVELOPE_HEAD) + len(_ENVELOPE_TAIL)
    for data in encoded:
        extra = len(data) + (1 if current else 0)
        if current and size + extra > max_bytes:
            posts.append(_ENVELOPE_HEAD + b",".join(current) + _ENVELOPE_TAIL)
            current, size = [], len(_ENVELOPE_HEAD) + len(_ENVELOPE_TAIL)
            extra = len(data)
        current.append(data)
        size += extra
    if current:
        posts.append(_ENVELOPE_HEAD + b",".join(current) + _ENVELOPE_TAIL)
    return posts
