"""Live messages (tasklane.domain.live): built from stream changes of items written exactly as
the DynamoDB adapters write them, compared with what the API's readers get."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from tasklane.dal.dynamodb import attachments as dal_attachments
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb import notifications as dal_notifications
from tasklane.domain.attachments import Attachment, AttachmentRecord, AttachmentStatus
from tasklane.domain.live import (
    MAX_POST_BYTES,
    HighWater,
    Kind,
    LiveMessage,
    Op,
    coalesce,
    encode,
    from_change,
    may_receive,
    newest,
    order,
    pack,
)
from tasklane.domain.models import Comment, Member, Priority, Project, Role, Status, Task
from tasklane.domain.notifications import Notification, NotificationKind
from tasklane.logic.stream import StreamChange

PROJECT = "01jq0000000000000000000000"
TASK_ULID = "01jq0000000000000000000001"
TASK_ID = f"{PROJECT}-{TASK_ULID}"
ALICE, BOB, CAROL = "user-alice", "user-bob", "user-carol"
T1, T2 = "2026-03-01T09:00:00.000Z", "2026-03-01T09:05:00.000Z"

_sequence = iter(range(10_000, 1_000_000))


def change(old: dict[str, Any] | None, new: dict[str, Any] | None, seq: int = 0) -> StreamChange:
    """A stream change between two AttributeValue items, as the stream delivers it."""
    image = new or old or {}
    event = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    return StreamChange(
        event_id=str(seq),
        event_name=event,  # type: ignore[arg-type]
        sequence_number=str(seq or next(_sequence)),
        keys=it.deserialize({"pk": image["pk"], "sk": image["sk"]}),
        old=it.deserialize(old) if old is not None else None,
        new=it.deserialize(new) if new is not None else None,
    )


def task(version: int = 1, **fields: Any) -> Task:
    values: dict[str, Any] = {
        "id": TASK_ID,
        "project_id": PROJECT,
        "title": "Write the launch post",
        "description": "Draft, then review",
        "status": Status.todo,
        "priority": Priority.high,
        "due_at": None,
        "labels": ["marketing"],
        "created_at": T1,
        "updated_at": T1,
        "completed_at": None,
        "created_by": ALICE,
        "updated_by": ALICE,
        "assignee_id": BOB,
        "version": version,
    }
    return Task(**(values | fields))


def api_view(model: Any, **exclude: bool) -> dict[str, Any]:
    """What the API answers: the model as JSON (see tasklane.api)."""
    result: dict[str, Any] = model.model_dump(mode="json", exclude=set(exclude) or None)
    return result


def routed_message(*args: Any, **kwargs: Any) -> LiveMessage:
    routed = from_change(change(*args, **kwargs))
    assert routed is not None
    return routed.message


# Tasks ---------------------------------------------------------------------------------------


def test_a_created_task_is_the_task_as_get_answers_it() -> None:
    item = it.task_to_item(task())
    routed = from_change(change(None, item))

    assert routed is not None
    message = routed.message
    assert (message.kind, message.op, message.id) == (Kind.task, Op.created, TASK_ID)
    assert (message.project_id, message.version, message.actor_id) == (PROJECT, 1, ALICE)
    assert message.item == api_view(it.task_from_item(item))
    # No key, index attribute or anything else the API does not show.
    assert set(message.item) == set(Task.model_fields) | set(Task.model_computed_fields)
    assert routed.project_id == PROJECT
    assert routed.user_ids == ()


def test_an_update_names_the_fields_it_changed_and_who_changed_them() -> None:
    before = it.task_to_item(task())
    after = it.task_to_item(
        task(version=2, due_at="2026-04-01T17:00:00.000Z", updated_at=T2, updated_by=BOB)
    )

    message = routed_message(before, after)

    assert message.op is Op.updated
    assert message.changed == ("due_at",)
    assert (message.version, message.actor_id) == (2, BOB)
    assert message.item == api_view(it.task_from_item(after))


def test_a_change_no_reader_sees_sends_nothing() -> None:
    # Creating an attachment writes its summary and the count onto the task item, without
    # a new version: the task's API view does not change.
    before = it.task_to_item(task())
    record = _record()
    after = {
        **before,
        "attachment_count": {"N": "1"},
        dal_attachments.summary_attribute(record.attachment.id): dal_attachments.summary_value(
            record.attachment
        ),
    }

    assert from_change(change(before, after)) is None


def test_a_deleted_task_carries_its_last_version_and_no_item() -> None:
    message = routed_message(it.task_to_item(task(version=4)), None)

    assert (message.op, message.version, message.item, message.actor_id) == (
        Op.deleted,
        4,
        None,
        None,
    )


def test_the_trash_reads_as_a_deletion_and_a_restore_as_a_creation() -> None:
    live = it.task_to_item(task(version=4))
    trashed = it.task_to_item(task(version=5)) | {"deleted_at": {"S": T2}}

    moved = routed_message(live, trashed)
    assert (moved.op, moved.version, moved.item) == (Op.deleted, 5, None)
    back = routed_message(trashed, it.task_to_item(task(version=6)))
    assert (back.op, back.version) == (Op.created, 6)
    assert back.item == api_view(it.task_from_item(it.task_to_item(task(version=6))))
    # Inside the trash (its purge date, say), nothing a reader sees changes.
    assert from_change(change(trashed, trashed | {"purge_at": {"N": "1"}})) is None


# Other kinds ---------------------------------------------------------------------------------


def _record(status: AttachmentStatus = AttachmentStatus.pending) -> AttachmentRecord:
    return AttachmentRecord(
        attachment=Attachment(
            id="01jq0000000000000000000009",
            task_id=TASK_ID,
            file_name="plan.pdf",
            size=2048,
            content_type="application/pdf",
            status=status,
            created_at=T1,
            created_by=BOB,
            completed_at=T2 if status is AttachmentStatus.ready else None,
        ),
        project_id=PROJECT,
        task_ulid=TASK_ULID,
        upload_expires_at="2026-03-01T09:05:00.000Z",
        version_id="s3-version-1" if status is AttachmentStatus.ready else None,
    )


def test_an_attachment_shows_what_the_api_shows_and_nothing_of_storage() -> None:
    pending = dal_attachments.record_to_item(_record())
    ready = dal_attachments.record_to_item(_record(AttachmentStatus.ready))

    created = routed_message(None, pending)
    completed = routed_message(pending, ready)

    assert created.item == api_view(dal_attachments.record_from_item(pending).attachment)
    assert (created.kind, created.op, created.actor_id) == (Kind.attachment, Op.created, BOB)
    assert completed.item == api_view(dal_attachments.record_from_item(ready).attachment)
    assert set(completed.changed) == {"status", "completed_at"}
    for message in (created, completed):
        assert message.item is not None
        assert not {"upload_expires_at", "version_id", "task_ulid", "gsi1pk"} & set(message.item)
        assert message.version is None  # ordered by the stream's sequence number


def _comment() -> Comment:
    return Comment(
        id="01jq000000000000000000000c",
        task_id=TASK_ID,
        author_id=BOB,
        body="Looks good",
        created_at=T1,
        updated_at=T1,
        version=1,
    )


def test_a_comment_is_the_comment_as_listed() -> None:
    item = it.comment_to_item(_comment())

    message = routed_message(None, item)

    assert message.item == api_view(it.comment_from_item(item))
    assert (message.kind, message.project_id, message.actor_id) == (Kind.comment, PROJECT, BOB)


def _member(role: Role = Role.viewer) -> dict[str, Any]:
    member = Member(
        user_id=CAROL,
        email="carol@example.com",
        display_name="Carol",
        role=role,
        added_at=T1,
        added_by=ALICE,
    )
    return it.member_to_item(PROJECT, member)


def test_a_membership_goes_to_the_project_and_to_the_member() -> None:
    item = _member()
    routed = from_change(change(None, item))

    assert routed is not None
    assert routed.message.item == api_view(it.member_from_item(item))
    assert (routed.message.kind, routed.message.id) == (Kind.member, CAROL)
    assert (routed.project_id, routed.user_ids) == (PROJECT, (CAROL,))

    removed = from_change(change(item, None))
    assert removed is not None
    assert (removed.message.op, removed.message.item) == (Op.deleted, None)
    assert (removed.project_id, removed.user_ids) == (PROJECT, (CAROL,))


def test_a_role_change_names_the_role() -> None:
    message = routed_message(_member(Role.viewer), _member(Role.editor))

    assert message.changed == ("role",)
    assert message.item is not None
    assert message.item["role"] == "editor"


def _project_items(version: int = 1, name: str = "Launch") -> dict[str, Any]:
    project = Project(
        id=PROJECT,
        name=name,
        description="",
        is_inbox=False,
        owner_id=ALICE,
        role=Role.owner,
        created_at=T1,
        updated_at=T1 if version == 1 else T2,
        version=version,
    )
    return it.project_to_items(project)[0]


def test_a_project_is_the_same_for_every_reader_and_carries_no_role() -> None:
    before, after = _project_items(), _project_items(version=2, name="Launch v2")

    message = routed_message(before, after)

    # Every subscriber gets the same bytes; a reader's role arrives with its membership.
    assert message.item == api_view(it.project_from_item(after, Role.viewer), role=True)
    assert "role" not in message.item
    assert (message.changed, message.actor_id) == (("name",), ALICE)


def _note(read_at: str | None = None) -> dict[str, Any]:
    """A notice as tasklane.dal.dynamodb.notifications writes it."""
    note = Notification(
        id="01jq000000000000000000000n",
        kind=NotificationKind.task_assigned,
        title="Bob assigned you a task",
        body="Write the launch post",
        task_id=TASK_ID,
        project_id=PROJECT,
        actor_id=BOB,
        url=f"http://127.0.0.1:3000/tasks/{TASK_ID}",
        created_at=T1,
    )
    values: dict[str, Any] = {
        "type": "notification",
        "note_id": note.id,
        "user_id": CAROL,
        "expires_at": 1_900_000_000,
        "gsi1pk": dal_notifications.unread_pk(CAROL),
        "gsi1sk": f"NOTE#{note.id}",
        **{k: v for k, v in note.model_dump(exclude={"id", "read_at"}).items() if v is not None},
    }
    if read_at is not None:
        values["read_at"] = read_at
        del values["gsi1pk"], values["gsi1sk"]
    return {**dal_notifications.note_key(CAROL, note.id), **it.serialize(values)}


def test_a_notice_goes_to_its_user_only() -> None:
    unread, read = _note(), _note(read_at=T2)

    routed = from_change(change(None, unread))
    marked = from_change(change(unread, read))

    assert routed is not None
    assert marked is not None
    assert routed.message.item == api_view(dal_notifications.note_from_item(unread))
    assert (routed.project_id, routed.user_ids) == (None, (CAROL,))
    assert marked.message.changed == ("read_at",)


def test_the_unread_counter_goes_to_its_user() -> None:
    counter = {**dal_notifications.counter_key(CAROL), "unread": {"N": "3"}}

    routed = from_change(change(None, counter))

    assert routed is not None
    assert (routed.message.kind, routed.message.item) == (Kind.unread, {"unread": 3})
    assert (routed.project_id, routed.user_ids) == (None, (CAROL,))


@pytest.mark.parametrize(
    "item",
    [
        pytest.param({"pk": {"S": "a1b2c3"}, "sk": {"S": "IDEMPOTENCY"}}, id="idempotency"),
        pytest.param(
            {"pk": {"S": f"INBOX#{CAROL}"}, "sk": {"S": "EXPIRED#01jq"}}, id="expiry-marker"
        ),
    ],
)
def test_items_no_page_shows_send_nothing(item: dict[str, Any]) -> None:
    assert from_change(change(None, item)) is None


# Who receives what ---------------------------------------------------------------------------


def test_a_viewer_receives_what_a_viewer_may_read() -> None:
    """Every project-channel kind reaches every role, as GET serves each of them to a
    viewer; and what arrives is the API's view, never more."""
    messages = [
        routed_message(None, it.task_to_item(task())),
        routed_message(None, _member()),
        routed_message(None, _project_items()),
        routed_message(None, dal_attachments.record_to_item(_record())),
    ]
    for message in messages:
        assert all(may_receive(message, role) for role in Role)
        assert not may_receive(message, None)  # removed: nothing more
    viewer_reads = {
        Kind.task: set(Task.model_fields) | set(Task.model_computed_fields),
        Kind.member: set(Member.model_fields),
        Kind.project: set(Project.model_fields) - {"role"},
        Kind.attachment: set(Attachment.model_fields),
    }
    for message in messages:
        assert message.item is not None
        assert set(message.item) == viewer_reads[message.kind]


def test_user_channel_messages_are_not_for_project_subscribers() -> None:
    note = routed_message(None, _note())

    assert not any(may_receive(note, role) for role in Role)


# Ordering and coalescing ---------------------------------------------------------------------


def _versions(*versions: int) -> list[LiveMessage]:
    """Successive changes of one task, with increasing stream sequence numbers."""
    out = []
    previous = it.task_to_item(task())
    for version in versions:
        current = it.task_to_item(task(version=version, title=f"Title {version}"))
        out.append(routed_message(previous, current, seq=1000 + version))
        previous = current
    return out


def test_several_changes_to_one_connection_become_one_list_newest_per_item() -> None:
    v2, v3, v4 = _versions(2, 3, 4)
    comment = routed_message(None, it.comment_to_item(_comment()), seq=1003)

    posts = coalesce([("c1", v2), ("c1", v3), ("c2", v2), ("c1", comment), ("c1", v4)])

    assert posts == {"c1": [comment, v4], "c2": [v2]}


def test_reordered_and_replayed_records_never_put_an_older_version_after_a_newer_one() -> None:
    history = _versions(2, 3, 4, 5, 6)
    for seed in range(25):
        shuffled = [*history, *random.Random(seed).sample(history, k=3)]  # replays too
        random.Random(seed).shuffle(shuffled)

        kept = coalesce(("c", m) for m in shuffled)["c"]

        assert [m.version for m in kept] == [6]


def test_a_deletion_is_newer_than_the_version_it_removes() -> None:
    (v3,) = _versions(3)
    deleted = routed_message(it.task_to_item(task(version=3)), None)

    assert newest([deleted, v3]) == [deleted]
    assert order(deleted) > order(v3)


def test_the_copy_with_the_item_wins_over_the_one_without() -> None:
    (v2,) = _versions(2)

    assert newest([v2.without_item(), v2]) == [v2]


def test_a_deleted_project_takes_its_other_messages_with_it() -> None:
    project_deleted = routed_message(_project_items(), None, seq=2000)
    task_deleted = routed_message(it.task_to_item(task()), None, seq=2001)
    member_deleted = routed_message(_member(), None, seq=2002)
    note = routed_message(None, _note(), seq=2003)

    kept = newest([project_deleted, task_deleted, member_deleted, note])

    assert kept == [project_deleted, note]


def test_a_high_water_mark_drops_what_is_not_newer() -> None:
    v2, v3 = _versions(2, 3)
    seen = HighWater(capacity=2)

    assert seen.admit(v3)
    assert not seen.admit(v2)  # a late record
    assert not seen.admit(v3)  # a replay
    other = routed_message(None, _member())
    third = routed_message(None, _project_items())
    assert seen.admit(other)
    assert seen.admit(third)
    assert seen.admit(v2)  # forgotten: capacity 2 (clients still guard themselves)


# Payloads ------------------------------------------------------------------------------------


def test_posts_hold_as_many_messages_as_fit_in_order() -> None:
    history = _versions(*range(2, 40))
    encoded = [encode(m) for m in history]
    limit = sum(len(e) for e in encoded) // 3

    posts = pack(encoded, max_bytes=limit)

    assert len(posts) > 1
    assert all(len(post) <= limit for post in posts)
    received = [change for post in posts for change in json.loads(post)["changes"]]
    assert [c["version"] for c in received] == list(range(2, 40))
    assert all(json.loads(post)["type"] == "changes" for post in posts)


def test_a_message_too_large_for_a_post_goes_without_its_item() -> None:
    big = routed_message(None, it.task_to_item(task(description="x" * 10_000)))

    assert json.loads(encode(big))["item"]["description"] == "x" * 10_000
    small = json.loads(encode(big, max_bytes=2_000))
    assert small["item"] is None
    assert (small["kind"], small["id"], small["version"]) == ("task", TASK_ID, 1)
    assert len(pack([encode(big)])[0]) <= MAX_POST_BYTES
