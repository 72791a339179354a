"""The activity history: a stream consumer records it, two routes read it.

No dual write: the request that changes a task never writes its history. The consumer
turns each stream record of a task, comment, attachment, membership or project into
:mod:`tasklane.domain.activity`'s entries (images renamed to API field names here) and
records them in one request; replays and reordered records are harmless (the entries' ids
come from the change, so the same entry is rewritten, and they sort by when it happened).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tasklane.domain.activity import ActivityChange, ActivityEntry, Subject, entries_for
from tasklane.domain.checklists import ATTRIBUTE_PREFIX
from tasklane.domain.errors import NotFound
from tasklane.domain.ids import split_task_id
from tasklane.domain.ports.activity import ActivityStore
from tasklane.domain.trash import removed_by_ttl
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService
from tasklane.logic.stream import StreamChange

#: Each item type with a history, and the attribute that holds its own id.
_ID_ATTRIBUTES: dict[str, tuple[Subject, str]] = {
    "task": (Subject.task, "task_id"),
    "comment": (Subject.comment, "comment_id"),
    "attachment": (Subject.attachment, "attachment_id"),
    "member": (Subject.member, "user_id"),
    "project": (Subject.project, "project_id"),
}


def api_image(kind: str, image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A stream image in the API's field names: ``id``, a task's ``checklist`` as a list
    (its items are attributes of their own in the table), a membership's ``added_at``."""
    if image is None:
        return None
    _, id_attribute = _ID_ATTRIBUTES[kind]
    view = {k: v for k, v in image.items() if not k.startswith(ATTRIBUTE_PREFIX)}
    view["id"] = image.get(id_attribute)
    if kind == "task":
        view["checklist"] = [
            v for k, v in image.items() if k.startswith(ATTRIBUTE_PREFIX) and isinstance(v, dict)
        ]
    if kind == "member":
        view.setdefault("added_at", image.get("created_at"))
    return view


def activity_change(change: StreamChange) -> ActivityChange | None:
    """The change as the history sees it; None for items without a history."""
    kind = change.item_type
    if kind not in _ID_ATTRIBUTES:
        return None
    subject, _ = _ID_ATTRIBUTES[kind]
    project_id = change.image.get("project_id")
    if not isinstance(project_id, str):
        return None
    return ActivityChange(
        subject=subject,
        project_id=project_id,
        event_id=change.event_id,
        sequence_number=change.sequence_number,
        recorded_at=change.recorded_at or datetime.now(UTC),
        old=api_image(kind, change.old),
        new=api_image(kind, change.new),
        expired=change.removed and removed_by_ttl(change.user_identity),
    )


class ActivityRecorder:
    """A :class:`tasklane.logic.stream.StreamConsumer`: one request per change worth an
    entry (none for bookkeeping such as counters and positions)."""

    name = "activity"

    def __init__(self, store: ActivityStore) -> None:
        self._store = store

    def handle(self, change: StreamChange) -> None:
        described = activity_change(change)
        if described is None:
            return
        if described.subject is Subject.project and change.removed:
            return  # its feed is purged with it: there is nowhere to write
        entries = entries_for(described)
        if entries:
            # False: the project is gone; a late change of its items writes nothing.
            self._store.record(described.project_id, entries)


class ActivityService:
    """The project's feed and a task's history: newest first, members only."""

    def __init__(self, store: ActivityStore, cursors: Cursors) -> None:
        self._store = store
        self._cursors = cursors

    def project(
        self, user_id: str, project_id: str, limit: int, cursor: str | None
    ) -> Listing[ActivityEntry]:
        project_id = ProjectService.resolve_id(user_id, project_id)
        bound = {"user": user_id, "project": project_id, "list": "activity"}
        page = self._store.project_page(
            project_id, user_id, limit, self._cursors.start(cursor, bound)
        )
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def task(
        self, user_id: str, task_id: str, limit: int, cursor: str | None
    ) -> Listing[ActivityEntry]:
        if split_task_id(task_id) is None:
            raise NotFound("task not found")
        bound = {"user": user_id, "task": task_id, "list": "activity"}
        page = self._store.task_page(task_id, user_id, limit, self._cursors.start(cursor, bound))
        return Listing(page.items, self._cursors.next(page.next_key, bound))
