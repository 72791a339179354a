"""Due and overdue reminders, enqueued once per task and due date (the scheduled run).

Each reminder goes to the task's assignee, or its creator when nobody is assigned, at the
recipient's lead time (``profiles.reminder_lead_minutes``) before the due date
(``task_due``), and once more when the due date has passed and the task is still open
(``task_overdue``). A task done before that gets neither; a task whose due date moves gets
reminders for the new date.

Once, also when runs overlap: a run claims its reminders in ``reminders_sent`` and enqueues
the jobs *inside the same transaction*, committing only after SQS accepted them. If the
enqueue fails, the claim rolls back and the next run tries again: nothing is lost. If the
commit fails after the enqueue (rare), the next run enqueues the same reminders again: the
job ids are the same (``reminder:<task>:<due_at>:<kind>``), so the notifier sends them once.
That is at-least-once enqueueing turned into once-only delivery by idempotent consumption —
the honest guarantee two systems without a shared transaction can give.

Overdue notices look back :data:`OVERDUE_LOOKBACK` only: a task that fell due long before
the feature (or a run) existed is not worth an e-mail now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tasklane.domain.models import format_time, utc_now
from tasklane.domain.notifications import NotificationJob, NotificationKind, reminder_job_id
from tasklane.observability import logger

if TYPE_CHECKING:
    from tasklane.domain.ports.queue import JobQueue
    from tasklane.domain.ports.relational import Relational
    from tasklane.domain.ports.reminders import ClaimedReminder

OVERDUE_LOOKBACK = timedelta(hours=24)
#: Reminders per transaction: a backlog is worked off in several, each committed on its own.
BATCH_LIMIT = 500


def reminder_job(claimed: ClaimedReminder, now: datetime) -> NotificationJob:
    due_at = format_time(claimed.due_at)
    return NotificationJob(
        id=reminder_job_id(claimed.task_id, due_at, claimed.overdue),
        kind=NotificationKind.task_overdue if claimed.overdue else NotificationKind.task_due,
        recipient_id=claimed.recipient_id,
        actor_id=None,
        project_id=claimed.project_id,
        task_id=claimed.task_id,
        subject={
            "task_title": claimed.title,
            "project_name": claimed.project_name,
            "due_at": due_at,
        },
        created_at=format_time(now),
        recipient=claimed.recipient,
    )


class Reminders:
    def __init__(
        self,
        database: Relational,
        queue: JobQueue,
        clock: Callable[[], datetime] = utc_now,
        batch_limit: int = BATCH_LIMIT,
        overdue_lookback: timedelta = OVERDUE_LOOKBACK,
    ) -> None:
        self._database = database
        self._queue = queue
        self._clock = clock
        self._limit = batch_limit
        self._lookback = overdue_lookback

    def run_once(self) -> list[NotificationJob]:
        """Claims and enqueues every reminder due now; returns the jobs enqueued."""
        enqueued: list[NotificationJob] = []
        while True:
            now = self._clock()
            with self._database.transaction() as tx:
                claimed = tx.reminders.claim_due(now, self._lookback, self._limit)
                jobs = [reminder_job(c, now) for c in claimed]
                # Before the commit: if SQS refuses, the claim rolls back (see module doc).
                self._queue.send(jobs)
            enqueued += jobs
            for job in jobs:
                if job.recipient is None:
                    logger.warning(
                        "reminder recipient has no profile; in-app notice only",
                        extra={"job_id": job.id, "recipient_id": job.recipient_id},
                    )
            if len(claimed) < self._limit:
                return enqueued
