"""One job → the in-app notice and, if the recipient wants it, the e-mail."""

from __future__ import annotations

import pytest

from tasklane.domain.models import Role
from tasklane.domain.notifications import (
    Notification,
    NotificationKind,
    note_id,
)
from tasklane.logic.notifications.notifier import Notifier
from tests.fakes.mail import InMemoryMailer
from tests.fakes.members import InMemoryMembers
from tests.fakes.notifications import InMemoryInbox
from tests.unit.conftest import T0, Clock
from tests.unit.logic.notifications.support import (
    ADA,
    BOB,
    PROJECT,
    TASK,
    WEB,
    K,
    job,
    recipient,
)


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
    inbox: InMemoryInbox, mailer: InMemoryMailer, members: InMemoryMembers, clock: Clock
) -> None:
    seen: list[int] = []

    class Recording(InMemoryInbox):
        def add(self, user_id: str, note: Notification, expires_at: int) -> bool:
            seen.append(expires_at)
            return super().add(user_id, note, expires_at)

    Notifier(Recording(), mailer, WEB, members, clock=clock, retention_days=90).deliver(job())
    assert seen == [int(T0.timestamp()) + 90 * 86400]


def test_a_member_removed_after_the_job_was_made_gets_nothing(
    notifier: Notifier, inbox: InMemoryInbox, mailer: InMemoryMailer, members: InMemoryMembers
) -> None:
    """Issue 14, finding 3: delivery checks the membership again."""
    members.remove_member(PROJECT, BOB, ADA, {Role.owner})
    for kind in (K.task_assigned, K.task_changed, K.comment_added, K.task_due, K.task_overdue):
        delivery = notifier.deliver(job(kind))
        assert delivery.skipped == "not_a_member"
        assert delivery.message_id is None
    assert inbox.notices.get(BOB, {}) == {}
    assert mailer.sent == []
