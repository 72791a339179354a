"""``ReminderLedger`` in memory: the claim query's rules, over the fake's tables (a session of
:class:`tests.fakes.relational.InMemoryDatabase`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tasklane.dal.postgres.reminders import DEFAULT_LEAD_MINUTES
from tasklane.domain.notifications import Recipient
from tasklane.domain.ports.reminders import ClaimedReminder
from tasklane.domain.profiles import MAX_REMINDER_LEAD_MINUTES, Profile

if TYPE_CHECKING:
    from tests.fakes.relational import RelationalState


def recipient_of(profile: Profile) -> Recipient:
    return Recipient(
        user_id=profile.user_id,
        email=profile.email,
        display_name=profile.display_name,
        time_zone=profile.time_zone,
        preferences={k.value: v for k, v in profile.notifications.events.items()},
    )


class InMemoryReminders:
    def __init__(self, state: RelationalState) -> None:
        self._state = state

    def claim_due(
        self, now: datetime, overdue_lookback: timedelta, limit: int
    ) -> list[ClaimedReminder]:
        state = self._state
        latest = now + timedelta(minutes=MAX_REMINDER_LEAD_MINUTES)
        due: list[ClaimedReminder] = []
        for task in sorted(state.tasks.values(), key=lambda t: (t.due_at or now, t.task_id)):
            if task.status == "done" or task.due_at is None or task.deleted_at is not None:
                continue
            if not now - overdue_lookback < task.due_at <= latest:
                continue
            recipient_id = task.assignee_id or task.created_by
            if (task.project_id, recipient_id) not in state.members:
                continue  # only members are reminded
            profile = state.profiles.get(recipient_id)
            lead = profile.notifications.reminder_lead_minutes if profile else DEFAULT_LEAD_MINUTES
            if task.due_at > now + timedelta(minutes=lead):
                continue
            overdue = task.due_at <= now
            claim = (task.task_id, task.due_at, "overdue" if overdue else "due_soon")
            if claim in state.reminders_sent:
                continue
            project = state.projects.get(task.project_id)
            due.append(
                ClaimedReminder(
                    task_id=task.task_id,
                    project_id=task.project_id,
                    title=task.title,
                    project_name=project.name if project else None,
                    due_at=task.due_at,
                    overdue=overdue,
                    recipient_id=recipient_id,
                    recipient=recipient_of(profile) if profile else None,
                )
            )
            if len(due) == limit:
                break
        for claimed in due:
            kind = "overdue" if claimed.overdue else "due_soon"
            state.reminders_sent.add((claimed.task_id, claimed.due_at, kind))
        return due
