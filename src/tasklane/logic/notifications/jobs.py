"""Who is told what: table changes → notification jobs, one per recipient (a stream consumer).

The rules (nobody is told of their own action: the actor is never a recipient):

- a task gets an assignee (created with one, assigned, re-assigned) → ``task_assigned`` to
  the new assignee;
- a task's title, status or due date changes and its assignee stays → ``task_changed`` to the
  assignee;
- a task is unassigned or re-assigned → ``task_changed`` to the previous assignee (their
  list changed: it is no longer theirs);
- a task is completed → ``task_completed`` to its creator ("a task you own");
- a comment is added → ``comment_added`` to the task's creator and its assignee;
- a member is added to a project → ``project_shared`` to them (not the owner's own
  membership, written with the project);
- an export becomes ready or fails → ``export_ready`` / ``export_failed`` to whoever asked
  for it (their own request, so the actor rule does not apply: there is no actor);
- an invitation is made → ``project_invited`` to the invited address: in-app too when it
  is the verified address of a user, else e-mail only.

Only current members hear of a project's tasks: every recipient of a task or comment job
is checked against the projection's memberships before the job is enqueued (and the
notifier checks again at delivery), so a removed member gets nothing from then on.

One job per recipient and change: a recipient to whom two rules apply gets the first of
the list above. The actor of a task change is its ``updated_by`` (set on every write); items
written before that attribute existed fall back to ``created_by``.

Job ids are stable (:mod:`tasklane.domain.notifications`): a replayed or re-delivered
stream record enqueues the same ids again and the notifier sends each once. So this consumer
may — and on failure does — enqueue twice; it never needs to remember what it sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasklane.domain.models import Status, format_time, utc_now
from tasklane.domain.notifications import (
    NotificationJob,
    NotificationKind,
    Recipient,
    assigned_job_id,
    changed_job_id,
    comment_job_id,
    excerpt,
    export_job_id,
    invited_job_id,
    shared_job_id,
)
from tasklane.domain.ports.notifications import NotificationInbox
from tasklane.domain.ports.queue import JobQueue
from tasklane.domain.ports.recipients import RecipientDirectory
from tasklane.logic.stream import StreamChange
from tasklane.observability import logger

#: Task attributes whose change the assignee hears of.
WATCHED = ("title", "status", "due_at")
#: Item types this consumer reads; everything else is skipped before any I/O.
FOLLOWED = frozenset({"task", "comment", "member", "invitation", "export"})
#: An export's states that end it, and the notice each sends.
EXPORT_ENDS = {"ready": NotificationKind.export_ready, "failed": NotificationKind.export_failed}
#: Kinds whose recipient need not be a member (yet).
NOT_MEMBERS_YET = frozenset({NotificationKind.project_invited})


def _version(item: dict[str, Any]) -> int:
    value = item.get("version", 0)
    return int(value) if isinstance(value, int | Decimal | str) else 0


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return str(value) if value not in (None, "") else None


def task_drafts(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[NotificationJob]:
    """The jobs one task change causes (INSERT: ``old`` None; REMOVE causes none)."""
    if new is None:
        return []
    actor = _text(new, "updated_by") or _text(new, "created_by")
    task_id, project_id = str(new["task_id"]), str(new["project_id"])
    version = _version(new)
    created_at = _text(new, "updated_at") or _text(new, "created_at") or format_time(utc_now())
    before = _text(old, "assignee_id") if old is not None else None
    after = _text(new, "assignee_id")
    changes = [name for name in WATCHED if old is not None and old.get(name) != new.get(name)]
    done = Status.done.value
    completed = old is not None and old.get("status") != done and new.get("status") == done
    subject = {
        "task_title": str(new.get("title", "")),
        "status": _text(new, "status"),
        "due_at": _text(new, "due_at"),
    }
    drafts: dict[str, NotificationJob] = {}

    def add(kind: NotificationKind, recipient: str | None, **extra: Any) -> None:
        if recipient is None or recipient == actor or recipient in drafts:
            return
        make_id = assigned_job_id if kind is NotificationKind.task_assigned else changed_job_id
        drafts[recipient] = NotificationJob(
            id=make_id(task_id, version, recipient),
            kind=kind,
            recipient_id=recipient,
            actor_id=actor,
            project_id=project_id,
            task_id=task_id,
            created_at=created_at,
            subject={**subject, **extra},
        )

    if after is not None and after != before:
        add(NotificationKind.task_assigned, after)
    if completed:
        add(NotificationKind.task_completed, _text(new, "created_by"))
    if before is not None and before != after:
        add(NotificationKind.task_changed, before, changes=[*changes, "assignee"], unassigned=True)
    if changes and after == before:
        add(NotificationKind.task_changed, after, changes=changes)
    return list(drafts.values())


def comment_drafts(comment: dict[str, Any], directory: RecipientDirectory) -> list[NotificationJob]:
    """A new comment → the task's creator and assignee (the comment item names neither: the
    projection in PostgreSQL does)."""
    task_id = str(comment["task_id"])
    task = directory.task_people(task_id)
    if task is None:
        # Deleted meanwhile (its comments go with it), or not projected: nobody to tell.
        logger.info("comment on an unknown task; no notification", extra={"task_id": task_id})
        return []
    author = _text(comment, "author_id")
    comment_id = str(comment["comment_id"])
    drafts: dict[str, NotificationJob] = {}
    for recipient in (task.created_by, task.assignee_id):
        if recipient is None or recipient == author or recipient in drafts:
            continue
        drafts[recipient] = NotificationJob(
            id=comment_job_id(comment_id, recipient),
            kind=NotificationKind.comment_added,
            recipient_id=recipient,
            actor_id=author,
            project_id=task.project_id,
            task_id=task_id,
            created_at=_text(comment, "created_at") or format_time(utc_now()),
            subject={
                "task_title": task.title,
                "comment_excerpt": excerpt(str(comment.get("body", ""))),
                "comment_id": comment_id,
            },
        )
    return list(drafts.values())


def member_drafts(member: dict[str, Any], sequence_number: str) -> list[NotificationJob]:
    """A new membership → the member, unless they added themselves (the owner's own)."""
    recipient = _text(member, "user_id")
    actor = _text(member, "added_by")
    if recipient is None or actor is None or actor == recipient or member.get("role") == "owner":
        return []
    project_id = str(member["project_id"])
    return [
        NotificationJob(
            id=shared_job_id(project_id, recipient, sequence_number),
            kind=NotificationKind.project_shared,
            recipient_id=recipient,
            actor_id=actor,
            project_id=project_id,
            task_id=None,
            created_at=_text(member, "added_at")
            or _text(member, "created_at")
            or format_time(utc_now()),
            subject={"role": _text(member, "role")},
        )
    ]


def export_drafts(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[NotificationJob]:
    """An export that has just ended → a notice to its requester (once per end state: the
    job id names it, so a replayed record sends nothing twice)."""
    if new is None or (old is not None and old.get("status") == new.get("status")):
        return []
    kind = EXPORT_ENDS.get(str(new.get("status")))
    if kind is None:
        return []
    export_id, user_id = str(new["id"]), str(new["user_id"])
    return [
        NotificationJob(
            id=export_job_id(export_id, str(new["status"])),
            kind=kind,
            recipient_id=user_id,
            project_id=_text(new, "project_id"),
            created_at=_text(new, "finished_at") or format_time(utc_now()),
            # Without a project, the export is of everything the user can read.
            subject={"path": f"/exports/{export_id}", "project_name": "all your projects"},
        )
    ]


def invitation_drafts(
    invitation: dict[str, Any], directory: RecipientDirectory
) -> list[NotificationJob]:
    """A new invitation → the invited address: the user whose verified address it is, or
    the address alone (no account yet: e-mail only)."""
    email = str(invitation.get("email", ""))
    if not email or invitation.get("status") != "pending":
        return []
    user = directory.recipient_by_email(email)
    recipient = user or Recipient(
        user_id="", email=email, display_name=email.partition("@")[0] or email
    )
    return [
        NotificationJob(
            id=invited_job_id(str(invitation["invitation_id"])),
            kind=NotificationKind.project_invited,
            recipient_id=user.user_id if user is not None else "",
            actor_id=_text(invitation, "invited_by"),
            project_id=str(invitation["project_id"]),
            created_at=_text(invitation, "created_at") or format_time(utc_now()),
            subject={
                "role": _text(invitation, "role"),
                "project_name": _text(invitation, "project_name"),
                "invitation_id": str(invitation["invitation_id"]),
            },
            recipient=recipient,
        )
    ]


def plan(change: StreamChange, directory: RecipientDirectory) -> list[NotificationJob]:
    kind = change.item_type
    if kind == "task":
        return task_drafts(change.old, change.new)
    if kind == "export":
        return export_drafts(change.old, change.new)
    if change.event_name != "INSERT" or change.new is None:
        return []
    if kind == "comment":
        return comment_drafts(change.new, directory)
    if kind == "member":
        return member_drafts(change.new, change.sequence_number)
    if kind == "invitation":
        return invitation_drafts(change.new, directory)
    return []


def current_members(
    drafts: list[NotificationJob], directory: RecipientDirectory
) -> list[NotificationJob]:
    """The drafts whose recipient is a member of the project now (one read per project)."""
    checked: list[NotificationJob] = []
    by_project: dict[str, set[str]] = {}
    for draft in drafts:
        if draft.kind in NOT_MEMBERS_YET or draft.project_id is None:
            checked.append(draft)
            continue
        if draft.project_id not in by_project:
            wanted = {d.recipient_id for d in drafts if d.project_id == draft.project_id}
            by_project[draft.project_id] = directory.members(draft.project_id, wanted)
        if draft.recipient_id in by_project[draft.project_id]:
            checked.append(draft)
        else:
            logger.info(
                "recipient is not a member; no notification",
                extra={"job_id": draft.id, "recipient_id": draft.recipient_id},
            )
    return checked


def resolve(drafts: list[NotificationJob], directory: RecipientDirectory) -> list[NotificationJob]:
    """The drafts with the recipients' profile snapshot and the actor's and project's names."""
    people = {d.recipient_id for d in drafts} | {d.actor_id for d in drafts if d.actor_id}
    profiles = directory.recipients(people)
    names: dict[str, str | None] = {}
    jobs = []
    for draft in drafts:
        recipient = profiles.get(draft.recipient_id) or draft.recipient
        if recipient is None:
            logger.warning(
                "recipient has no profile; in-app notice only, no e-mail",
                extra={"job_id": draft.id, "recipient_id": draft.recipient_id},
            )
        if draft.project_id is not None and draft.project_id not in names:
            names[draft.project_id] = directory.project_name(draft.project_id)
        actor = profiles.get(draft.actor_id) if draft.actor_id else None
        subject = {
            **draft.subject,
            "project_name": names.get(draft.project_id)
            if draft.project_id
            else draft.subject.get("project_name"),
            "actor_name": actor.display_name if actor else None,
        }
        jobs.append(draft.model_copy(update={"subject": subject, "recipient": recipient}))
    return jobs


class NotificationJobs:
    """A :class:`tasklane.logic.stream.StreamConsumer`: jobs for every change that concerns
    someone else than its actor. PostgreSQL and SQS are touched only when there are jobs.

    It also keeps the unread counter honest when DynamoDB's TTL removes an unread notice
    (see :mod:`tasklane.dal.dynamodb.notifications`).
    """

    name = "notifications"

    def __init__(
        self, directory: RecipientDirectory, queue: JobQueue | None, inbox: NotificationInbox
    ) -> None:
        self._directory = directory
        #: None: no queue configured (a test stack without one): notifications are off.
        self._queue = queue
        self._inbox = inbox

    def handle(self, change: StreamChange) -> None:
        kind = change.item_type
        if kind == "notification":
            self._notice_changed(change)
            return
        if kind not in FOLLOWED or self._queue is None:
            return
        drafts = current_members(plan(change, self._directory), self._directory)
        if not drafts:
            return
        jobs = resolve(drafts, self._directory)
        self._queue.send(jobs)
        logger.info(
            "notification jobs enqueued",
            extra={"job_ids": [job.id for job in jobs], "event_id": change.event_id},
        )

    def _notice_changed(self, change: StreamChange) -> None:
        """Notices are never deleted by the app: a removed one expired (TTL)."""
        old = change.old or {}
        if change.removed and not old.get("read_at") and old.get("user_id"):
            self._inbox.expired(str(old["user_id"]), str(old["note_id"]))
