"""``JobQueue``: where notification jobs go (SQS); the notifier consumes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tasklane.domain.notifications import NotificationJob


class JobQueue(Protocol):
    def send(self, jobs: Sequence[NotificationJob]) -> None:
        """Enqueue every job, or raise (nothing is reported as sent that was not)."""
