"""``JobQueue`` in memory: the jobs sent, in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tasklane.dal.queue import QueueError
from tasklane.domain.ports.queue import QueueMessage


class InMemoryJobQueue:
    def __init__(self, *, refuse: bool = False) -> None:
        #: The jobs sent (notification jobs, export and import jobs, webhook deliveries).
        self.jobs: list[Any] = []
        #: True: every send fails, as SQS refusing a batch does (nothing is enqueued).
        self.refuse = refuse

    def send(self, jobs: Sequence[QueueMessage]) -> None:
        if jobs and self.refuse:
            raise QueueError(f"refused {len(jobs)} jobs")
        self.jobs += jobs
