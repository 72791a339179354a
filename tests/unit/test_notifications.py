"""Notifications, in memory: who is told what, the texts, preferences, the notifier's steps.

Stream changes are built by hand (the attribute names are the contract's), so these tests do
not wait for the producers of those items.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tasklane.domain.notifications import (
    Notification,
    NotificationJob,
    NotificationKind,
    Recipient,
    note_id,
)
from tasklane.domain.profiles import EventKind, NotificationPreferences, Profile
from tasklane.domain.projection import ProjectRow
from tasklane.logic.notifications.jobs import NotificationJobs
from tasklane.logic.notifications.notifier import Notifier
from tasklane.logic.notifications.templates import local_time, render
from tasklane.logic.stream import StreamChange
from tests.builders import task_row
from tests.fakes.mail import InMemoryMailer
from tests.fakes.notifications import InMemoryInbox
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.recipients import InMemoryRecipients
from tests.fakes.relational import RelationalState
from tests.unit.conftest import T0, Clock

PROJECT = "01jd0000000000000000000000"
TASK = f"{PROJECT}-01jd0000000000000000000001"
WEB = "https://app.example.com"
K = NotificationKind

ADA, BOB, CY = "user-ada", "user-bob", "user-cy"


def recipient(user_id: str, **preferences: bool) -> Recipient:
    name = user_id.removeprefix("user-").title()
    return Recipient(
        user_id=user_id,
        email=f"{name.lower()}@example.com",
        display_name=name,
        time_zone="Europe/Berlin",
        preferences=dict(preferences),
    )


def profile(user_id: str, **preferences: bool) -> Profile:
    """The profile :func:`recipient` describes (what the directory reads from PostgreSQL)."""
    r = recipient(user_id, **preferences)
    return Profile(
        user_id=r.user_id,
        email=r.email,
        display_name=r.display_name,
        time_zone=r.time_zone,
        notifications=NotificationPreferences(
            events={
                **dict.fromkeys(EventKind, True),
                **{EventKind(k): v for k, v in preferences.items()},
            }
        ),
        created_at="2025-01-01T00:00:00.000Z",
        updated_at="2025-01-01T00:00:00.000Z",
    )


def projected(*users: str) -> RelationalState:
    """Profiles of ``users`` and the project "Launch", as the projection holds them."""
    state = RelationalState()
    state.profiles = {u: profile(u) for u in users}
    state.projects[PROJECT] = ProjectRow(PROJECT, "Launch", False, ADA, 1)
    return state


def task(version: int = 1, **values: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "task",
        "task_id": TASK,
        "project_id": PROJECT,
        "title": "Write launch notes",
        "status": "todo",
        "created_by": ADA,
        "updated_by": ADA,
        "created_at": "2025-03-01T09:00:00.000Z",
        "updated_at": f"2025-03-01T09:{version:02d}:00.000Z",
        "version": version,
    }
    item.update(values)
    return {k: v for k, v in item.items() if v is not None}


def change(
    old: dict[str, Any] | None, new: dict[str, Any] | None, seq: str = "100"
) -> StreamChange:
    name = "INSERT" if old is None else ("REMOVE" if new is None else "MODIFY")
    return StreamChange(
        event_id=f"e{seq}",
        event_name=name,  # type: ignore[arg-type]
        sequence_number=seq,
        keys={"pk": f"PROJECT#{PROJECT}", "sk": "TASK#x"},
        old=old,
        new=new,
    )


@pytest.fixture
def state() -> RelationalState:
    return projected(ADA, BOB, CY)


@pytest.fixture
def directory(state: RelationalState) -> InMemoryRecipients:
    return InMemoryRecipients(state)


@pytest.fixture
def queue() -> InMemoryJobQueue:
    return InMemoryJobQueue()


@pytest.fixture
def consumer(directory: InMemoryRecipients, queue: InMemoryJobQueue) -> NotificationJobs:
    return NotificationJobs(directory, queue, InMemoryInbox())


def told(queue: InMemoryJobQueue) -> set[tuple[str, NotificationKind]]:
    return {(job.recipient_id, job.kind) for job in queue.jobs}


# -- who is told what ---------------------------------------------------------------------------
def test_creating_a_task_assigned_to_someone_else_tells_them(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    job = queue.jobs[0]
    assert job.id == f"assigned:{TASK}:1:{BOB}"
    assert job.actor_id == ADA
    assert job.subject["task_title"] == "Write launch notes"
    assert job.subject["project_name"] == "Launch"
    assert job.subject["actor_name"] == "Ada"
    assert job.recipient is not None
    assert job.recipient.email == "bob@example.com"
    assert job.created_at == "2025-03-01T09:01:00.000Z"


def test_nobody_is_told_of_their_own_action(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    # Assigning yourself, changing and completing your own task, all as its creator.
    consumer.handle(change(None, task(assignee_id=ADA)))
    consumer.handle(change(task(assignee_id=ADA), task(2, assignee_id=ADA, title="New")))
    consumer.handle(change(task(2, assignee_id=ADA), task(3, assignee_id=ADA, status="done")))
    assert queue.jobs == []


def test_assigning_an_existing_task(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    consumer.handle(change(task(), task(2, assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    assert queue.jobs[0].id == f"assigned:{TASK}:2:{BOB}"


def test_reassigning_tells_the_new_and_the_previous_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, assignee_id=CY)))
    assert told(queue) == {(CY, K.task_assigned), (BOB, K.task_changed)}
    previous = next(j for j in queue.jobs if j.recipient_id == BOB)
    assert previous.id == f"changed:{TASK}:2:{BOB}"
    assert previous.subject["unassigned"] is True


def test_unassigning_tells_the_previous_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2)))
    assert told(queue) == {(BOB, K.task_changed)}
    assert "assignee" in queue.jobs[0].subject["changes"]


def test_unassigning_yourself_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, updated_by=BOB)))
    assert queue.jobs == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Rewrite launch notes"),
        ("status", "in_progress"),
        ("due_at", "2025-03-09T12:00:00.000Z"),
    ],
)
def test_changes_to_an_assigned_task_by_someone_else_tell_the_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue, field: str, value: str
) -> None:
    consumer.handle(change(task(assignee_id=BOB), task(2, assignee_id=BOB, **{field: value})))
    assert told(queue) == {(BOB, K.task_changed)}
    assert queue.jobs[0].subject["changes"] == [field]
    assert queue.jobs[0].id == f"changed:{TASK}:2:{BOB}"


def test_other_changes_tell_nobody(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    # A description or priority change is not news; neither is a change that bumps nothing.
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, description="more", priority="high"))
    )
    consumer.handle(change(task(assignee_id=BOB), task(assignee_id=BOB, attachment_count=1)))
    assert queue.jobs == []


def test_the_assignee_changing_their_task_tells_nobody_but_the_creator_on_completion(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, title="X", updated_by=BOB))
    )
    assert queue.jobs == []
    consumer.handle(
        change(task(2, assignee_id=BOB), task(3, assignee_id=BOB, status="done", updated_by=BOB))
    )
    assert told(queue) == {(ADA, K.task_completed)}
    assert queue.jobs[0].id == f"changed:{TASK}:3:{ADA}"
    assert queue.jobs[0].subject["actor_name"] == "Bob"


def test_completion_by_a_third_person_tells_creator_and_assignee(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(assignee_id=BOB), task(2, assignee_id=BOB, status="done", updated_by=CY))
    )
    assert told(queue) == {(ADA, K.task_completed), (BOB, K.task_changed)}


def test_reopening_is_a_change_not_a_completion(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(
        change(task(status="done", updated_by=BOB), task(2, status="todo", updated_by=BOB))
    )
    assert queue.jobs == []  # no assignee; the creator hears only of completions


def test_a_deleted_task_tells_nobody(consumer: NotificationJobs, queue: InMemoryJobQueue) -> None:
    consumer.handle(change(task(assignee_id=BOB), None))
    assert queue.jobs == []


def comment(author: str, comment_id: str = "01jd0000000000000000000c01") -> StreamChange:
    return StreamChange(
        event_id="c1",
        event_name="INSERT",
        sequence_number="200",
        keys={"pk": f"PROJECT#{PROJECT}", "sk": f"COMMENT#x#{comment_id}"},
        old=None,
        new={
            "type": "comment",
            "comment_id": comment_id,
            "task_id": TASK,
            "project_id": PROJECT,
            "author_id": author,
            "body": "Looks   good,\nship it " + "!" * 400,
            "created_at": "2025-03-01T10:00:00.000Z",
            "updated_at": "2025-03-01T10:00:00.000Z",
            "version": 1,
        },
    )


def test_a_comment_tells_the_owner_and_the_assignee_but_not_its_author(
    consumer: NotificationJobs, queue: InMemoryJobQueue, state: RelationalState
) -> None:
    state.tasks[TASK] = task_row(
        TASK, project_id=PROJECT, title="Write launch notes", assignee_id=BOB
    )
    consumer.handle(comment(CY))
    assert told(queue) == {(ADA, K.comment_added), (BOB, K.comment_added)}
    assert {j.id for j in queue.jobs} == {
        f"comment:01jd0000000000000000000c01:{ADA}",
        f"comment:01jd0000000000000000000c01:{BOB}",
    }
    excerpt = queue.jobs[0].subject["comment_excerpt"]
    assert excerpt.startswith("Looks good, ship it !")
    assert len(excerpt) <= 280

    queue.jobs.clear()
    consumer.handle(comment(BOB, "01jd0000000000000000000c02"))  # the assignee comments
    assert told(queue) == {(ADA, K.comment_added)}


def test_a_comment_on_your_own_unassigned_task_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue, state: RelationalState
) -> None:
    state.tasks[TASK] = task_row(TASK, project_id=PROJECT, title="t")
    consumer.handle(comment(ADA))
    assert queue.jobs == []


def test_a_comment_on_an_unknown_task_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(comment(CY))
    assert queue.jobs == []


def member(user: str, added_by: str | None, role: str = "editor") -> StreamChange:
    values = {
        "type": "member",
        "project_id": PROJECT,
        "user_id": user,
        "role": role,
        "added_by": added_by,
        "created_at": "2025-03-01T11:00:00.000Z",
    }
    return StreamChange(
        event_id="m1",
        event_name="INSERT",
        sequence_number="3000000000000000000000001",
        keys={"pk": f"PROJECT#{PROJECT}", "sk": f"MEMBER#{user}"},
        old=None,
        new={k: v for k, v in values.items() if v is not None},
    )


def test_being_added_to_a_project_tells_you(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(member(BOB, ADA))
    assert told(queue) == {(BOB, K.project_shared)}
    job = queue.jobs[0]
    assert job.id == f"shared:{PROJECT}:{BOB}:3000000000000000000000001"
    assert job.subject["role"] == "editor"
    assert job.subject["project_name"] == "Launch"
    assert job.task_id is None


def test_the_owners_own_membership_tells_nobody(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    consumer.handle(member(ADA, ADA, role="owner"))
    consumer.handle(member(ADA, None, role="owner"))
    assert queue.jobs == []


def test_replays_produce_the_same_job_ids(
    consumer: NotificationJobs, queue: InMemoryJobQueue
) -> None:
    record = change(task(assignee_id=BOB), task(2, assignee_id=CY))
    consumer.handle(record)
    first = sorted(j.id for j in queue.jobs)
    queue.jobs.clear()
    consumer.handle(record)
    assert sorted(j.id for j in queue.jobs) == first


def test_unrelated_items_cost_no_lookup(
    consumer: NotificationJobs, queue: InMemoryJobQueue, directory: InMemoryRecipients
) -> None:
    consumer.handle(
        StreamChange("i", "INSERT", "1", {"pk": "abc", "sk": "IDEMPOTENCY"}, None, {"pk": "abc"})
    )
    consumer.handle(change(None, task()))  # a task nobody else cares about
    assert queue.jobs == []
    assert directory.lookups == 0


def test_a_recipient_without_a_profile_gets_a_job_without_an_address(
    queue: InMemoryJobQueue,
) -> None:
    consumer = NotificationJobs(InMemoryRecipients(projected(ADA)), queue, InMemoryInbox())
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert told(queue) == {(BOB, K.task_assigned)}
    assert queue.jobs[0].recipient is None


def test_no_queue_means_notifications_are_off(directory: InMemoryRecipients) -> None:
    consumer = NotificationJobs(directory, None, InMemoryInbox())
    consumer.handle(change(None, task(assignee_id=BOB)))
    assert directory.lookups == 0


def test_an_unread_notice_removed_by_ttl_is_counted_down_once() -> None:
    inbox = InMemoryInbox()
    consumer = NotificationJobs(InMemoryRecipients(projected()), InMemoryJobQueue(), inbox)
    inbox.counters[BOB] = 2
    note = {"type": "notification", "user_id": BOB, "note_id": "n1", "title": "t"}
    removed = StreamChange("r", "REMOVE", "9", {"pk": f"INBOX#{BOB}", "sk": "NOTE#n1"}, note, None)
    consumer.handle(removed)
    consumer.handle(removed)  # a replay
    read = {**note, "note_id": "n2", "read_at": "2025-03-02T00:00:00.000Z"}
    consumer.handle(StreamChange("r2", "REMOVE", "10", {}, read, None))
    assert inbox.unread(BOB) == 1


# -- texts ---------------------------------------------------------------------------------------
def job(kind: NotificationKind = K.task_assigned, **subject: Any) -> NotificationJob:
    return NotificationJob(
        id=f"assigned:{TASK}:1:{BOB}",
        kind=kind,
        recipient_id=BOB,
        actor_id=ADA,
        project_id=PROJECT,
        task_id=TASK,
        subject={
            "task_title": "Write launch notes",
            "project_name": "Launch",
            "actor_name": "Ada",
            **subject,
        },
        created_at="2025-03-01T09:01:00.000Z",
        recipient=recipient(BOB),
    )


def test_user_text_is_escaped_in_html_and_verbatim_in_text() -> None:
    evil = '<script>alert("x")</script> & co'
    rendered = render(job(task_title=evil, actor_name="<b>Eve</b>"), WEB)
    assert evil in rendered.text
    assert "<b>Eve</b>" in rendered.text
    assert "<script>" not in rendered.html
    assert "<b>Eve</b>" not in rendered.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in rendered.html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in rendered.html
    assert rendered.title == f"<b>Eve</b> assigned you “{evil}”"  # a subject is plain text


def test_a_comment_is_quoted_escaped() -> None:
    rendered = render(job(K.comment_added, comment_excerpt="<img src=x onerror=alert(1)>"), WEB)
    assert "> <img src=x onerror=alert(1)>" in rendered.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered.html
    assert "<img" not in rendered.html


def test_every_kind_renders_with_a_link_to_its_task_or_project() -> None:
    for kind in NotificationKind:
        rendered = render(job(kind, due_at="2025-03-09T12:00:00.000Z", role="editor"), WEB)
        assert "$" not in rendered.title + rendered.text + rendered.html, kind
        assert f"{WEB}/tasks/{TASK}" in rendered.text
        assert f'href="{WEB}/tasks/{TASK}"' in rendered.html
        assert rendered.url == f"{WEB}/tasks/{TASK}"
        assert rendered.body
        assert "\n" not in rendered.title
    shared = job(K.project_shared, role="viewer").model_copy(update={"task_id": None})
    rendered = render(shared, WEB)
    assert rendered.url == f"{WEB}/projects/{PROJECT}"
    assert rendered.title == "Ada shared “Launch” with you"
    assert "as viewer" in rendered.body


def test_due_dates_are_shown_in_the_recipients_time_zone() -> None:
    assert local_time("2025-03-09T12:00:00.000Z", "Europe/Berlin") == (
        "on Sun 09 Mar 2025 at 13:00 (Europe/Berlin)"
    )
    assert "(UTC)" in local_time("2025-03-09T12:00:00.000Z", "Not/AZone")
    rendered = render(job(K.task_due, due_at="2025-03-09T12:00:00.000Z"), WEB)
    assert "13:00 (Europe/Berlin)" in rendered.title


# -- the notifier --------------------------------------------------------------------------------
@pytest.fixture
def inbox() -> InMemoryInbox:
    return InMemoryInbox()


@pytest.fixture
def mailer() -> InMemoryMailer:
    return InMemoryMailer()


@pytest.fixture
def notifier(inbox: InMemoryInbox, mailer: InMemoryMailer, clock: Clock) -> Notifier:
    return Notifier(inbox, mailer, WEB, clock=clock)


def test_a_job_writes_the_in_app_notice_and_sends_the_email(
    notifier: Notifier, inbox: InMemoryInbox, mailer: InMemoryMailer
) -> None:
    delivery = notifier.deliver(job())
    assert delivery.message_id == "message-1"
    assert delivery.skipped is None
    assert delivery.note_written
    (notice,) = inbox.notices[BOB].values()
    note = notice.note
    assert note.id == delivery.note_id == note_id(job())
    assert note.kind is K.task_assigned
    assert note.title == "Ada assigned you “Write launch notes”"
    assert note.url == f"{WEB}/tasks/{TASK}"
    assert note.actor_id == ADA
    assert note.read_at is None
    assert inbox.counters == {BOB: 1}
    (mail,) = mailer.sent
    assert mail["to"] == "bob@example.com"
    assert mail["subject"] == note.title


def test_a_switched_off_kind_sends_no_email_but_writes_the_notice(
    notifier: Notifier, inbox: InMemoryInbox, mailer: InMemoryMailer
) -> None:
    quiet = job().model_copy(update={"recipient": recipient(BOB, task_assigned=False)})
    delivery = notifier.deliver(quiet)
    assert delivery.skipped == "preference_off"
    assert delivery.message_id is None
    assert mailer.sent == []
    assert len(inbox.notices[BOB]) == 1


@pytest.mark.parametrize(
    ("kind", "preference"),
    [(K.task_completed, "task_changed"), (K.task_overdue, "task_due")],
)
def test_kinds_follow_their_preference(
    notifier: Notifier, mailer: InMemoryMailer, kind: NotificationKind, preference: str
) -> None:
    off = job(kind).model_copy(update={"recipient": recipient(BOB, **{preference: False})})
    assert notifier.deliver(off).skipped == "preference_off"
    other = job(kind).model_copy(update={"recipient": recipient(BOB, comment_added=False)})
    assert notifier.deliver(other).message_id is not None
    assert len(mailer.sent) == 1


def test_without_a_profile_there_is_no_email(
    notifier: Notifier, inbox: InMemoryInbox, mailer: InMemoryMailer
) -> None:
    delivery = notifier.deliver(job().model_copy(update={"recipient": None}))
    assert delivery.skipped == "no_profile"
    assert mailer.sent == []
    assert len(inbox.notices[BOB]) == 1


def test_a_retried_job_writes_and_counts_its_notice_once(
    notifier: Notifier, inbox: InMemoryInbox
) -> None:
    first = notifier.deliver(job())
    again = notifier.deliver(job().model_copy(update={"subject": {"task_title": "renamed"}}))
    assert first.note_id == again.note_id
    assert not again.note_written
    assert len(inbox.notices[BOB]) == 1
    assert inbox.counters == {BOB: 1}


def test_the_notice_expires_after_the_retention(
    inbox: InMemoryInbox, mailer: InMemoryMailer, clock: Clock
) -> None:
    seen: list[int] = []

    class Recording(InMemoryInbox):
        def add(self, user_id: str, note: Notification, expires_at: int) -> bool:
            seen.append(expires_at)
            return super().add(user_id, note, expires_at)

    Notifier(Recording(), mailer, WEB, clock=clock, retention_days=90).deliver(job())
    assert seen == [int(T0.timestamp()) + 90 * 86400]


def test_note_ids_are_ulids_ordered_by_the_job_time() -> None:
    early = note_id(job())
    late = note_id(job().model_copy(update={"created_at": "2025-03-01T09:02:00.000Z"}))
    other = note_id(job().model_copy(update={"id": "another"}))
    assert re.fullmatch(r"[0-9a-hjkmnp-tv-z]{26}", early)
    assert early < late
    assert early != other
    assert early[:10] == other[:10]
