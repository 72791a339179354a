"""Notifications: the jobs on the queue, the recipients' snapshot and the in-app notices.

A *job* is one notification for one recipient (the SQS message body). Its ``id`` is stable:
it is derived from what caused it (a task version, a comment, a membership's stream sequence
number, a reminder's due date), so a replayed stream record or an overlapping reminder run
produces the same id, and the notifier, idempotent per id, sends it once.
"""

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.profiles import DEFAULT_TIME_ZONE, EventKind

#: How much of a comment a notification quotes.
EXCERPT_CHARS = 280


class NotificationKind(StrEnum):
    task_assigned = "task_assigned"
    task_changed = "task_changed"
    task_completed = "task_completed"
    comment_added = "comment_added"
    project_shared = "project_shared"
    task_due = "task_due"
    task_overdue = "task_overdue"
    #: Answers to the user's own request, and an alarm about their webhook: no preference
    #: switches their e-mail off (see :data:`PREFERENCE`).
    export_ready = "export_ready"
    export_failed = "export_failed"
    webhook_disabled = "webhook_disabled"
    project_invited = "project_invited"


#: The preference (``profiles.notifications``) that switches each kind's e-mail on or off:
#: a completion is a change, an overdue notice a due reminder. Kinds not listed are always
#: e-mailed: an export someone asked for, a webhook of theirs switched off.
PREFERENCE: dict[NotificationKind, EventKind] = {
    NotificationKind.task_assigned: EventKind.task_assigned,
    NotificationKind.task_changed: EventKind.task_changed,
    NotificationKind.task_completed: EventKind.task_changed,
    NotificationKind.comment_added: EventKind.comment_added,
    NotificationKind.project_shared: EventKind.project_shared,
    NotificationKind.task_due: EventKind.task_due,
    NotificationKind.task_overdue: EventKind.task_due,
    NotificationKind.project_invited: EventKind.project_shared,
}


class Recipient(Model):
    """What the notifier needs to know about the recipient, resolved by the producer from
    PostgreSQL, so the notifier itself never needs the database (it runs outside the VPC)."""

    user_id: str
    email: str
    display_name: str
    time_zone: str = DEFAULT_TIME_ZONE
    #: Per :class:`EventKind`: e-mail on (true) or off. Kinds left out are on.
    preferences: dict[str, bool] = Field(default_factory=dict)

    def wants_email(self, kind: NotificationKind) -> bool:
        preference = PREFERENCE.get(kind)
        return preference is None or self.preferences.get(preference.value, True)


class NotificationJob(Model):
    """One notification for one recipient: the SQS message body (JSON)."""

    id: str = Field(min_length=1, max_length=512)
    kind: NotificationKind
    #: Empty only for an invitation to an address without an account (e-mail only).
    recipient_id: str = ""
    actor_id: str | None = None
    project_id: str | None = None
    task_id: str | None = None
    #: What the templates need: task_title, project_name, due_at, changes, comment_excerpt,
    #: role, actor_name, status (each optional).
    subject: dict[str, Any] = Field(default_factory=dict)
    #: RFC 3339; when the cause happened (the item's timestamp), not when the job was built.
    created_at: str
    #: None: the recipient has no profile, so no e-mail (the in-app notice is still written).
    recipient: Recipient | None = None


# -- stable job ids (contract) ----------------------------------------------------------------
def assigned_job_id(task_id: str, version: int, recipient_id: str) -> str:
    return f"assigned:{task_id}:{version}:{recipient_id}"


def changed_job_id(task_id: str, version: int, recipient_id: str) -> str:
    return f"changed:{task_id}:{version}:{recipient_id}"


def comment_job_id(comment_id: str, recipient_id: str) -> str:
    return f"comment:{comment_id}:{recipient_id}"


def shared_job_id(project_id: str, recipient_id: str, seq: str) -> str:
    return f"shared:{project_id}:{recipient_id}:{seq}"


def invited_job_id(invitation_id: str) -> str:
    return f"invited:{invitation_id}"


def reminder_job_id(task_id: str, due_at: str, overdue: bool) -> str:
    return f"reminder:{task_id}:{due_at}:{'overdue' if overdue else 'due_soon'}"


def export_job_id(export_id: str, status: str) -> str:
    return f"export:{export_id}:{status}"


def webhook_disabled_job_id(webhook_id: str, version: int) -> str:
    """The version that disabled it: re-enabled and disabled again is a new notice."""
    return f"webhook:{webhook_id}:{version}:disabled"


def note_id(job: NotificationJob) -> str:
    """The in-app notice's id: a ULID whose time is the job's and whose randomness is the
    job id's hash. Derived, not drawn: a retried job writes the same item (a conditional put
    refuses the second), and ids still sort by time, newest last."""
    from ulid import ULID

    moment = parse_instant(job.created_at)
    millis = int(moment.timestamp() * 1000)
    digest = hashlib.sha256(job.id.encode()).digest()[:10]
    return str(ULID.from_bytes(millis.to_bytes(6, "big") + digest)).lower()


def parse_instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- the in-app API ---------------------------------------------------------------------------
class Notification(Model):
    id: str
    kind: NotificationKind
    title: str
    body: str
    task_id: str | None = None
    project_id: str | None = None
    actor_id: str | None = None
    url: str | None = None
    created_at: str
    read_at: str | None = None


class NotificationPage(Model):
    items: list[Notification]
    next_cursor: str | None = None
    unread: int = Field(ge=0, description="Unread notifications in total (not only this page).")
