"""Attachment clean-up, driven by the table's stream (no second write in the request path).

- A task removed (deleted, or purged with its project): its attachment items are deleted and
  every version of every object under its key prefix — also uploads that never completed.
- An attachment item removed (deleted by its user, swept, or purged): its object's versions.
- An attachment turned ``ready``: its verified version loses the pending tag, so the
  bucket's expiry rule for abandoned uploads spares it, and every other version of its key
  goes (earlier uploads with the same form, or one sent since the check): the verified
  version is the current one again. An upload after this step (the form lives 2 minutes)
  is never served — downloads name the verified version — and expires with its tag.

Each step is idempotent (deleting what is gone is fine), so replays and out-of-order
delivery leave the same state.
"""

from __future__ import annotations

from tasklane.domain.attachments import AttachmentStatus, object_key, task_prefix
from tasklane.domain.ports.attachments import AttachmentStore
from tasklane.domain.ports.storage import ObjectStorage
from tasklane.logic.stream import StreamChange

_PROJECT = "PROJECT#"


class AttachmentCleanup:
    name = "attachments"

    def __init__(self, store: AttachmentStore, storage: ObjectStorage) -> None:
        self._store = store
        self._storage = storage

    def handle(self, change: StreamChange) -> None:
        kind = change.item_type
        if kind == "task" and change.removed:
            self._task_removed(change)
        elif kind == "attachment":
            self._attachment_changed(change)

    def _task_removed(self, change: StreamChange) -> None:
        pk, sk = str(change.keys.get("pk", "")), str(change.keys.get("sk", ""))
        if not pk.startswith(_PROJECT) or not sk.startswith("TASK#"):
            return
        project_id, task_ulid = pk.removeprefix(_PROJECT), sk.removeprefix("TASK#")
        # Items first: their own REMOVE records then delete their objects again (harmless).
        self._store.delete_items(
            project_id, self._store.task_attachment_keys(project_id, task_ulid)
        )
        self._storage.delete_prefix(task_prefix(project_id, task_ulid))

    def _attachment_changed(self, change: StreamChange) -> None:
        image = change.image
        key = object_key(
            str(image["project_id"]), str(image["task_ulid"]), str(image["attachment_id"])
        )
        if change.removed:
            # The key is a fixed-length prefix: it matches this object's versions only.
            self._storage.delete_prefix(key)
            return
        old, new = change.old or {}, change.new or {}
        if (
            old.get("status") == AttachmentStatus.pending.value
            and new.get("status") == AttachmentStatus.ready.value
        ):
            version = new.get("version_id")
            self._storage.clear_pending(key, str(version) if version else None)
            if version:  # an unversioned bucket has only the one object
                self._storage.delete_other_versions(key, str(version))
