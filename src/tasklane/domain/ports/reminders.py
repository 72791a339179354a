"""``ReminderLedger``: which reminders were claimed, inside ``Relational.transaction()``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tasklane.domain.notifications import Recipient


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    """A reminder the scheduled run claimed: the task, its recipient and their snapshot."""

    task_id: str
    project_id: str
    title: str
    project_name: str | None
    due_at: datetime
    overdue: bool
    recipient_id: str
    #: None: the recipient has no profile.
    recipient: Recipient | None


class ReminderLedger(Protocol):
    def claim_due(
        self, now: datetime, overdue_lookback: timedelta, limit: int
    ) -> list[ClaimedReminder]:
        """Claims and returns up to ``limit`` reminders due at ``now`` (due soon within the
        recipient's lead, or overdue within ``overdue_lookback``), each once per task, due
        date and kind. The claim is part of the transaction: roll it back and they are
        unclaimed again; a concurrent transaction never claims the same reminder."""
