"""The ``AttachmentStore`` contract (tasklane.domain.ports.attachments), on every
implementation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.domain.attachments import (
    Attachment,
    AttachmentLimitReached,
    AttachmentRecord,
    AttachmentStatus,
    CompleteOutcome,
    ObjectHead,
)
from tasklane.domain.errors import Conflict, Forbidden, NotFound, TooManyRequests
from tasklane.domain.ids import new_ulid, split_task_id
from tasklane.domain.models import Role, Task, format_time
from tasklane.domain.ports.limits import daily_quota
from tasklane.logic.access import TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Shared, task

PDF = "application/pdf"


def record(
    task_id: str, size: int = 5, expires: timedelta = timedelta(minutes=5)
) -> AttachmentRecord:
    parts = split_task_id(task_id)
    assert parts is not None
    return AttachmentRecord(
        attachment=Attachment(
            id=new_ulid(),
            task_id=task_id,
            file_name="plan.pdf",
            size=size,
            content_type=PDF,
            status=AttachmentStatus.pending,
            created_at=format_time(T0),
            created_by=ALICE,
        ),
        project_id=parts[0],
        task_ulid=parts[1],
        upload_expires_at=format_time(T0 + expires),
    )


def head(size: int = 5, content_type: str = PDF) -> ObjectHead:
    return ObjectHead(size=size, content_type=content_type, version_id="v1", head=b"%PDF-")


@pytest.fixture
def on(shared: Shared) -> Task:
    made = task(shared.project.id)
    shared.backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    return made


def test_records_are_created_read_and_listed_oldest_first(shared: Shared, on: Task) -> None:
    store = shared.backend.attachments()
    made = [record(on.id) for _ in range(3)]
    for r in made:
        store.create_attachment(r, BOB, TASK_WRITERS, 20)
    found = store.get_attachment(on.id, made[1].attachment.id, CAROL)
    assert found == (made[1], Role.viewer)
    assert store.get_attachment(on.id, made[1].attachment.id, "user-x") is None
    assert store.get_attachment(on.id, new_ulid(), ALICE) is None
    assert list(store.list_attachments(on.id, CAROL)) == [r.attachment for r in made]
    with pytest.raises(NotFound):
        store.list_attachments(on.id, "user-x")
    with pytest.raises(NotFound):
        store.list_attachments(task(shared.project.id).id, ALICE)
    with pytest.raises(Conflict):
        store.create_attachment(made[0], ALICE, TASK_WRITERS, 20)


def test_who_may_attach_and_how_many(shared: Shared, on: Task) -> None:
    store = shared.backend.attachments()
    with pytest.raises(Forbidden):
        store.create_attachment(record(on.id), CAROL, TASK_WRITERS, 20)
    with pytest.raises(NotFound):
        store.create_attachment(record(on.id), "user-x", TASK_WRITERS, 20)
    with pytest.raises(NotFound):
        store.create_attachment(record(task(shared.project.id).id), ALICE, TASK_WRITERS, 20)
    for _ in range(2):
        store.create_attachment(record(on.id), ALICE, TASK_WRITERS, 2)
    with pytest.raises(AttachmentLimitReached):
        store.create_attachment(record(on.id), ALICE, TASK_WRITERS, 2)
    first = store.list_attachments(on.id, ALICE)[0]
    store.delete_attachment(on.id, first.id, ALICE, TASK_WRITERS)
    store.create_attachment(record(on.id), ALICE, TASK_WRITERS, 2)  # a slot is free again


def test_completing_checks_the_record_against_the_object(shared: Shared, on: Task) -> None:
    store = shared.backend.attachments()
    pending = record(on.id)
    store.create_attachment(pending, ALICE, TASK_WRITERS, 20)
    now = format_time(T0 + timedelta(minutes=1))
    assert store.complete_attachment(pending, BOB, TASK_WRITERS, head(6), now) is (
        CompleteOutcome.mismatch
    )
    with pytest.raises(Forbidden):
        store.complete_attachment(pending, CAROL, TASK_WRITERS, head(), now)
    assert store.complete_attachment(pending, BOB, TASK_WRITERS, head(), now) is (
        CompleteOutcome.completed
    )
    assert store.complete_attachment(pending, BOB, TASK_WRITERS, head(), now) is (
        CompleteOutcome.already_ready
    )
    found = store.get_attachment(on.id, pending.attachment.id, ALICE)
    assert found is not None
    ready = found[0]
    assert (ready.attachment.status, ready.attachment.completed_at) == (AttachmentStatus.ready, now)
    assert ready.version_id == "v1"
    assert store.list_attachments(on.id, ALICE) == [ready.attachment]


def test_deleting_a_record(shared: Shared, on: Task) -> None:
    store = shared.backend.attachments()
    made = record(on.id)
    store.create_attachment(made, ALICE, TASK_WRITERS, 20)
    with pytest.raises(Forbidden):
        store.delete_attachment(on.id, made.attachment.id, CAROL, TASK_WRITERS)
    with pytest.raises(NotFound):
        store.delete_attachment(on.id, new_ulid(), ALICE, TASK_WRITERS)
    store.delete_attachment(on.id, made.attachment.id, BOB, TASK_WRITERS)
    assert store.list_attachments(on.id, ALICE) == []
    with pytest.raises(NotFound):
        store.delete_attachment(on.id, made.attachment.id, BOB, TASK_WRITERS)


def test_the_sweeper_finds_and_discards_only_stale_pending_uploads(
    shared: Shared, on: Task
) -> None:
    store = shared.backend.attachments()
    stale = record(on.id, expires=timedelta(minutes=5))
    fresh = record(on.id, expires=timedelta(hours=5))
    done = record(on.id, expires=timedelta(minutes=5))
    for r in (stale, fresh, done):
        store.create_attachment(r, ALICE, TASK_WRITERS, 20)
    store.complete_attachment(done, ALICE, TASK_WRITERS, head(), format_time(T0))
    cutoff = format_time(T0 + timedelta(hours=1))
    days = [cutoff[:10]]
    found = store.stale_uploads(cutoff, days)
    assert [r.attachment.id for r in found] == [stale.attachment.id]
    assert store.stale_uploads(cutoff, ["2001-01-01"]) == []
    assert store.discard_upload(found[0])
    assert not store.discard_upload(found[0])  # gone meanwhile
    assert not store.discard_upload(done)  # completed: not to be swept
    assert [a.id for a in store.list_attachments(on.id, ALICE)] == [
        fresh.attachment.id,
        done.attachment.id,
    ]


def test_a_removed_tasks_records_are_found_and_deleted_without_access_checks(
    shared: Shared, on: Task
) -> None:
    store = shared.backend.attachments()
    made = [record(on.id) for _ in range(2)]
    for r in made:
        store.create_attachment(r, ALICE, TASK_WRITERS, 20)
    parts = split_task_id(on.id)
    assert parts is not None
    keys = store.task_attachment_keys(*parts)
    assert sorted(keys) == sorted(f"ATTACHMENT#{parts[1]}#{r.attachment.id}" for r in made)
    store.delete_items(parts[0], keys)
    assert store.task_attachment_keys(*parts) == []


def test_upload_forms_per_user_per_day_are_limited(shared: Shared, on: Task) -> None:
    """Issue 14, finding 6: the user's day item counts upload forms in the create's own
    transaction; a deletion gives none back; the next day (or another user) starts afresh."""
    store = shared.backend.attachments()
    today = daily_quota("attachments_per_day", 2, T0)
    first = record(on.id)
    store.create_attachment(first, ALICE, TASK_WRITERS, 20, today)
    store.create_attachment(record(on.id), ALICE, TASK_WRITERS, 20, today)
    third = record(on.id)
    with pytest.raises(TooManyRequests) as refused:
        store.create_attachment(third, ALICE, TASK_WRITERS, 20, today)
    assert refused.value.details == {"limit": "attachments_per_day", "max": 2}
    assert refused.value.retry_after == today.retry_after
    assert len(store.list_attachments(on.id, ALICE)) == 2  # nothing of it was written
    store.delete_attachment(on.id, first.attachment.id, ALICE, TASK_WRITERS)
    with pytest.raises(TooManyRequests):
        store.create_attachment(third, ALICE, TASK_WRITERS, 20, today)
    store.create_attachment(third, BOB, TASK_WRITERS, 20, today)  # counted per user
    tomorrow = daily_quota("attachments_per_day", 2, T0 + timedelta(days=1))
    store.create_attachment(record(on.id), ALICE, TASK_WRITERS, 20, tomorrow)
    assert len(store.list_attachments(on.id, ALICE)) == 3
