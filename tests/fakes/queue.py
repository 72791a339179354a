"""``JobQueue`` in memory: the jobs sent, in order."""

from __future__ import annotations

from collections.abc import Sequence

from tasklane.dal.queue import QueueError
from tasklane.domain.notifications import NotificationJob


class InMemoryJobQueue:
    def __init__(self, *, refuse: bool = False) -> None:
        self.jobs: list[NotificationJob] = []
        #: True: every send fails, as SQS refusing a batch does (nothing is enqueued).
        self.refuse = refuse

    def send(self, jobs: Sequence[NotificationJob]) -> None:
        if jobs and self.refuse:
            raise QueueError(f"refused {len(jobs)} jobs")
        self.jobs += jobs
