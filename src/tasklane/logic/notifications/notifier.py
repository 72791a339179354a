"""One job → the in-app notice, and the e-mail if the recipient wants it.

Order matters for retries. The in-app notice is written first: its id is derived from the
job, so writing it again is refused and counts nothing twice. The e-mail goes last, as the one
step that cannot be taken back: if it fails, the job fails and is retried, and the retry
finds the notice already there and sends the e-mail. The handler wraps :meth:`deliver` in
Powertools idempotency keyed by the job id, so a job delivered again after it succeeded sends
nothing at all. The remaining window — SES accepted the e-mail, then the function died before
the idempotency record was completed — can send one e-mail twice: at-least-once, as SES and
SQS offer no transaction to join.

A recipient who switched a kind off gets no e-mail, but still the in-app notice (the
contract's documented choice: the inbox is the record of what happened; preferences are
about interruptions). A recipient without a profile has no address: in-app only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tasklane.domain.models import format_time, utc_now
from tasklane.domain.notifications import Notification, NotificationJob, note_id, parse_instant
from tasklane.domain.ports.mail import Mailer
from tasklane.domain.ports.members import MemberStore
from tasklane.domain.ports.notifications import NotificationInbox
from tasklane.logic.notifications.jobs import NOT_MEMBERS_YET
from tasklane.logic.notifications.templates import render
from tasklane.observability import tracer
from tasklane.resources import NOTIFICATION_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one job (also the idempotency record's stored result)."""

    job_id: str
    note_id: str
    #: False: the notice existed already (a retry).
    note_written: bool
    #: The SES message id; None when no e-mail was sent (see ``skipped``).
    message_id: str | None
    #: Why no e-mail: ``no_profile``, ``preference_off`` or ``not_a_member`` (then no
    #: in-app notice either).
    skipped: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "note_id": self.note_id,
            "note_written": self.note_written,
            "message_id": self.message_id,
            "skipped": self.skipped,
        }


class Notifier:
    def __init__(
        self,
        inbox: NotificationInbox,
        mailer: Mailer,
        web_url: str,
        members: MemberStore,
        clock: Callable[[], datetime] = utc_now,
        retention_days: int = NOTIFICATION_RETENTION_DAYS,
    ) -> None:
        self._inbox = inbox
        self._mailer = mailer
        self._members = members
        self._web_url = web_url
        self._clock = clock
        self._retention = timedelta(days=retention_days)

    def still_member(self, job: NotificationJob) -> bool:
        """The recipient of a project's news is still a member (one read): a job enqueued
        just before they were removed (or queued for days) tells them nothing."""
        if job.kind in NOT_MEMBERS_YET or job.project_id is None or not job.recipient_id:
            return True
        found = self._members.get_member(job.project_id, job.recipient_id, job.recipient_id)
        return found is not None

    def deliver(self, job: NotificationJob) -> Delivery:
        if not self.still_member(job):
            return Delivery(job.id, "", False, None, "not_a_member")
        rendered = render(job, self._web_url)
        note = Notification(
            id=note_id(job),
            kind=job.kind,
            title=rendered.title,
            body=rendered.body,
            task_id=job.task_id,
            project_id=job.project_id,
            actor_id=job.actor_id,
            url=rendered.url,
            created_at=format_time(parse_instant(job.created_at)),
        )
        expires_at = int((self._clock() + self._retention).timestamp())
        written = False
        # No recipient id: an invitation to an address without an account (no inbox yet).
        if job.recipient_id:
            with tracer.provider.in_subsegment("## in-app notice"):
                written = self._inbox.add(job.recipient_id, note, expires_at)
        recipient = job.recipient
        skipped: str | None = None
        message_id: str | None = None
        if recipient is None:
            skipped = "no_profile"
        elif not recipient.wants_email(job.kind):
            skipped = "preference_off"
        else:
            with tracer.provider.in_subsegment("## e-mail"):
                message_id = self._mailer.send(
                    recipient.email, rendered.title, rendered.text, rendered.html
                )
        return Delivery(job.id, note.id, written, message_id, skipped)
