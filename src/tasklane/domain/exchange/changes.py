"""Which webhook event a table change is, and what its payload carries (no I/O here).

The stream consumer (:mod:`tasklane.logic.exchange.webhook_jobs`) hands in each change's
images already in the API's field names (``tasklane.logic.activity.api_image``); this module
keeps only the fields the API shows (never keys, index attributes or counters), decides the
event, and lists the changed fields' earlier values (``previous``). Bookkeeping that changes
with every write (version, timestamps of the write) is not a change a receiver is told about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasklane.domain.attachments import Attachment
from tasklane.domain.exchange.webhooks import WebhookEvent
from tasklane.domain.models import Comment, Member, Project, Status, Task

#: Per item type: the fields the API shows (a payload carries these and nothing else).
_FIELDS: dict[str, tuple[str, ...]] = {
    "task": tuple(Task.model_fields),
    "comment": tuple(Comment.model_fields),
    "attachment": tuple(Attachment.model_fields),
    "member": tuple(Member.model_fields),
    # ``role`` is the reader's, not the project's.
    "project": tuple(name for name in Project.model_fields if name != "role"),
}
#: Where each item type sits in ``data`` (``{"task": {...}}``, ``{"comment": {...}}``, …).
ITEM_TYPES = frozenset(_FIELDS)
_BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})
_READY = "ready"


@dataclass(frozen=True, slots=True)
class WebhookChange:
    event: WebhookEvent
    project_id: str
    data: dict[str, Any]
    previous: dict[str, Any] | None = None


def plain(value: Any) -> Any:
    """A JSON value: DynamoDB's numbers (Decimal) as int or float, sets as sorted lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def view(kind: str, image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The image as the API shows it: its fields only, JSON-ready."""
    if image is None:
        return None
    return {name: plain(image[name]) for name in _FIELDS[kind] if name in image}


def changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose value changed, with their old values (missing ones as null)."""
    return {
        name: old.get(name)
        for name in dict.fromkeys([*old, *new])
        if name not in _BOOKKEEPING and old.get(name) != new.get(name)
    }


def _task(
    old: dict[str, Any] | None, new: dict[str, Any] | None
) -> tuple[WebhookEvent, dict[str, Any] | None] | None:
    was_there = old is not None and old.get("deleted_at") is None
    is_there = new is not None and new.get("deleted_at") is None
    if old is None or not was_there:
        # Created, or restored from the trash; nothing when it stays out of sight.
        return (WebhookEvent.task_created, None) if is_there else None
    if new is None or not is_there:
        return WebhookEvent.task_deleted, None  # trashed, or deleted for good
    previous = changed(old, new)
    if not previous:
        return None
    done = Status.done.value
    if new.get("status") == done and old.get("status") != done:
        return WebhookEvent.task_completed, previous
    return WebhookEvent.task_updated, previous


def _simple(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    created: WebhookEvent,
    updated: WebhookEvent | None,
    deleted: WebhookEvent,
) -> tuple[WebhookEvent, dict[str, Any] | None] | None:
    if old is None:
        return created, None
    if new is None:
        return deleted, None
    previous = changed(old, new)
    if updated is None or not previous:
        return None
    return updated, previous


def _attachment(
    old: dict[str, Any] | None, new: dict[str, Any] | None
) -> tuple[WebhookEvent, dict[str, Any] | None] | None:
    # Added once its upload is checked (``ready``); a pending one was never there.
    was_ready = old is not None and old.get("status") == _READY
    is_ready = new is not None and new.get("status") == _READY
    if is_ready and not was_ready:
        return WebhookEvent.attachment_added, None
    if was_ready and new is None:
        return WebhookEvent.attachment_deleted, None
    return None


def _project(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    raw_old: Mapping[str, Any] | None,
    raw_new: Mapping[str, Any] | None,
) -> tuple[WebhookEvent, dict[str, Any] | None] | None:
    if old is None or new is None or raw_new is None:
        return None  # a new project has no webhooks yet; a removed one was announced
    if (raw_old or {}).get("deleted_at") is not None:
        return None  # the purge's passes touch the marked item
    if raw_new.get("deleted_at") is not None:
        return WebhookEvent.project_deleted, None
    previous = changed(old, new)
    return (WebhookEvent.project_updated, previous) if previous else None


def webhook_change(
    kind: str,
    old_image: Mapping[str, Any] | None,
    new_image: Mapping[str, Any] | None,
) -> WebhookChange | None:
    """The event a change of an item of type ``kind`` is (images in API field names), or
    None when a receiver is not told about it."""
    if kind not in _FIELDS:
        return None
    old, new = view(kind, old_image), view(kind, new_image)
    image = new_image if new_image is not None else old_image
    project_id = (image or {}).get("project_id")
    if not isinstance(project_id, str):
        return None
    found: tuple[WebhookEvent, dict[str, Any] | None] | None
    if kind == "task":
        found = _task(old, new)
    elif kind == "comment":
        found = _simple(old, new, WebhookEvent.comment_created, WebhookEvent.comment_updated,
                        WebhookEvent.comment_deleted)  # fmt: skip
    elif kind == "attachment":
        found = _attachment(old, new)
    elif kind == "member":
        found = _simple(old, new, WebhookEvent.member_added, WebhookEvent.member_updated,
                        WebhookEvent.member_removed)  # fmt: skip
    else:
        found = _project(old, new, old_image, new_image)
    if found is None:
        return None
    event, previous = found
    shown = new if new is not None else old
    data: dict[str, Any] = {kind: shown}
    if kind in ("comment", "attachment") and shown is not None:
        data["task_id"] = shown.get("task_id")
    return WebhookChange(event, project_id, data, previous)
