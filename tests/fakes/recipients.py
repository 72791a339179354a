"""``RecipientDirectory`` in memory, on the relational fake's tables (profiles, projection)."""

from __future__ import annotations

from collections.abc import Collection

from tasklane.domain.notifications import Recipient
from tasklane.domain.ports.recipients import TaskPeople
from tests.fakes.relational import RelationalState
from tests.fakes.reminders import recipient_of


class InMemoryRecipients:
    def __init__(self, state: RelationalState) -> None:
        self._state = state
        #: Calls made (a test can check that an unrelated change costs no lookup).
        self.lookups = 0

    def recipients(self, user_ids: Collection[str]) -> dict[str, Recipient]:
        self.lookups += 1
        profiles = self._state.profiles
        return {u: recipient_of(profiles[u]) for u in user_ids if u in profiles}

    def project_name(self, project_id: str) -> str | None:
        self.lookups += 1
        project = self._state.projects.get(project_id)
        return project.name if project is not None else None

    def task_people(self, task_id: str) -> TaskPeople | None:
        self.lookups += 1
        task = self._state.tasks.get(task_id)
        if task is None:
            return None
        return TaskPeople(
            task_id=task.task_id,
            project_id=task.project_id,
            title=task.title,
            created_by=task.created_by,
            assignee_id=task.assignee_id,
        )

    def recipient_by_email(self, email: str) -> Recipient | None:
        self.lookups += 1
        wanted = email.strip().lower()
        found = next(
            (p for p in self._state.profiles.values() if wanted and p.email.lower() == wanted),
            None,
        )
        return recipient_of(found) if found is not None else None

    def members(self, project_id: str, user_ids: Collection[str]) -> set[str]:
        self.lookups += 1
        return {u for u in user_ids if (project_id, u) in self._state.members}
