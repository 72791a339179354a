"""The stream consumer that removes attachment objects, on hand-made stream changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tasklane.logic.attachment_cleanup import AttachmentCleanup
from tasklane.logic.stream import StreamChange

P, T, A = "01jprojectprojectprojectpr", "01jtasktasktasktasktasktas", "01jattachattachattachattac"


class FakeStore:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.deleted: list[tuple[str, list[str]]] = []

    def task_attachment_keys(self, project_id: str, task_ulid: str) -> Sequence[str]:
        return list(self.keys)

    def delete_items(self, project_id: str, sort_keys: Sequence[str]) -> None:
        self.deleted.append((project_id, list(sort_keys)))


class FakeStorage:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def delete_prefix(self, prefix: str) -> int:
        self.calls.append(("delete_prefix", prefix))
        return 0

    def clear_pending(self, key: str, version_id: str | None) -> None:
        self.calls.append(("clear_pending", key, version_id or ""))

    def delete_other_versions(self, key: str, keep: str) -> int:
        self.calls.append(("delete_other_versions", key, keep))
        return 0


def change(name: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> StreamChange:
    image = new or old or {}
    return StreamChange(
        event_id="e1",
        event_name=name,  # type: ignore[arg-type]
        sequence_number="1",
        keys={"pk": image["pk"], "sk": image["sk"]},
        old=old,
        new=new,
    )


def attachment(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "pk": f"PROJECT#{P}",
        "sk": f"ATTACHMENT#{T}#{A}",
        "type": "attachment",
        "project_id": P,
        "task_ulid": T,
        "attachment_id": A,
        "status": status,
        **extra,
    }


def consumer(keys: list[str] | None = None) -> tuple[AttachmentCleanup, FakeStore, FakeStorage]:
    store, storage = FakeStore(keys or []), FakeStorage()
    return AttachmentCleanup(store, storage), store, storage  # type: ignore[arg-type]


def test_a_removed_task_takes_its_attachment_items_and_objects() -> None:
    cleanup, store, storage = consumer([f"ATTACHMENT#{T}#{A}"])
    task = {"pk": f"PROJECT#{P}", "sk": f"TASK#{T}", "type": "task", "task_id": f"{P}-{T}"}
    cleanup.handle(change("REMOVE", task, None))
    assert store.deleted == [(P, [f"ATTACHMENT#{T}#{A}"])]
    assert storage.calls == [("delete_prefix", f"attachments/{P}/{T}/")]


def test_a_removed_attachment_takes_its_object() -> None:
    cleanup, _, storage = consumer()
    cleanup.handle(change("REMOVE", attachment("ready", version_id="v1"), None))
    assert storage.calls == [("delete_prefix", f"attachments/{P}/{T}/{A}")]


def test_an_attachment_turning_ready_loses_its_pending_tag_and_other_versions() -> None:
    """Issue 14, finding 8: what else the upload form sent under the key goes."""
    cleanup, _, storage = consumer()
    ready = attachment("ready", version_id="v1")
    cleanup.handle(change("MODIFY", attachment("pending"), ready))
    key = f"attachments/{P}/{T}/{A}"
    assert storage.calls == [("clear_pending", key, "v1"), ("delete_other_versions", key, "v1")]


def test_without_a_version_only_the_tag_goes() -> None:
    """An unversioned bucket (none today) holds one object per key: nothing else to delete."""
    cleanup, _, storage = consumer()
    cleanup.handle(change("MODIFY", attachment("pending"), attachment("ready")))
    assert storage.calls == [("clear_pending", f"attachments/{P}/{T}/{A}", "")]


def test_other_changes_are_ignored() -> None:
    cleanup, store, storage = consumer()
    task = {"pk": f"PROJECT#{P}", "sk": f"TASK#{T}", "type": "task"}
    cleanup.handle(change("INSERT", None, attachment("pending")))
    cleanup.handle(change("MODIFY", attachment("ready"), attachment("ready")))
    cleanup.handle(change("MODIFY", task, task))
    cleanup.handle(change("REMOVE", {"pk": "h", "sk": "IDEMPOTENCY"}, None))
    assert storage.calls == []
    assert store.deleted == []
