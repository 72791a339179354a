"""Archiving a project instead of deleting it: read-only and out of the sidebar, until
it is unarchived. The owner's call; one write each way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import Conflict
from tasklane.domain.ids import inbox_project_id
from tasklane.domain.ports.archive import ArchiveStore
from tasklane.logic.access import OWNERS
from tasklane.logic.projects import ProjectService


class ArchiveService:
    def __init__(self, store: ArchiveStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    def archive(self, user_id: str, project_id: str) -> None:
        project_id = ProjectService.resolve_id(user_id, project_id)
        if project_id == inbox_project_id(user_id):
            # Where quick-add puts tasks: it stays writable.
            raise Conflict("the Inbox cannot be archived", {"reason": "inbox"})
        self._store.set_archived(project_id, user_id, OWNERS, True, self._clock())

    def unarchive(self, user_id: str, project_id: str) -> None:
        project_id = ProjectService.resolve_id(user_id, project_id)
        self._store.set_archived(project_id, user_id, OWNERS, False, self._clock())
