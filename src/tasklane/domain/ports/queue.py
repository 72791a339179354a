"""``JobQueue``: where jobs go (SQS) — notification jobs for the notifier, export and import
jobs for their workers, webhook deliveries for theirs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class QueueMessage(Protocol):
    """A job: its id (logged, and an attribute of the message), its kind, its JSON body."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    def model_dump_json(self) -> str: ...


class JobQueue(Protocol):
    def send(self, jobs: Sequence[QueueMessage]) -> None:
        """Enqueue every job, or raise (nothing is reported as sent that was not)."""
