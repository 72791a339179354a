"""``ActivityStore``: the history entries the activity consumer records, and their pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tasklane.domain.activity import ActivityEntry
from tasklane.domain.ports.pages import Page, PageKey


class ActivityStore(Protocol):
    def record(self, project_id: str, entries: Sequence[ActivityEntry]) -> bool:
        """One request: the entries (each kept a year), if the project still exists; False
        when it is gone (its feed went with it). Writing the same entries again changes
        nothing: their ids are derived from the change."""

    def project_page(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        """The project's entries, newest first: the caller's membership and one Query of at
        most ``limit + 1`` items. NotFound if the caller is not a member."""

    def task_page(
        self, task_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[ActivityEntry]:
        """One task's entries (its comments' and attachments' included), newest first; as
        :meth:`project_page`, the membership being the task's project's."""
