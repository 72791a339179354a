"""Projects: the unit of ownership. Every user has an Inbox, created on first use."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tasklane.domain.ids import INBOX_ALIAS, inbox_project_id, is_project_id, new_project_id
from tasklane.domain.models import (
    INBOX_NAME,
    Person,
    Project,
    ProjectCreate,
    ProjectPatch,
    Role,
    format_time,
    utc_now,
)
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.projects import ProjectStore
from tasklane.logic.access import OWNERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.settings import LimitSettings


class ProjectService:
    def __init__(
        self,
        store: ProjectStore,
        cursors: Cursors,
        clock: Callable[[], datetime] = utc_now,
        limits: LimitSettings | None = None,
    ) -> None:
        self._store = store
        self._cursors = cursors
        self._clock = clock
        maximum = (limits or LimitSettings()).projects_per_user
        self._quota = Quota("projects_per_user", maximum)

    @staticmethod
    def resolve_id(user_id: str, project_id: str) -> str:
        """``inbox`` names the caller's Inbox; ids that cannot exist are unknown (404)."""
        if project_id == INBOX_ALIAS:
            return inbox_project_id(user_id)
        if not is_project_id(project_id):
            raise NotFound("project not found")
        return project_id

    def _new(self, user_id: str, project_id: str, name: str, description: str) -> Project:
        now = format_time(self._clock())
        return Project(
            id=project_id,
            name=name,
            description=description,
            is_inbox=project_id == inbox_project_id(user_id),
            owner_id=user_id,
            role=Role.owner,
            created_at=now,
            updated_at=now,
            version=1,
        )

    def ensure_inbox(self, user_id: str) -> None:
        """Creates the caller's Inbox unless it exists; safe to call concurrently."""
        inbox = self._new(user_id, inbox_project_id(user_id), INBOX_NAME, "")
        with contextlib.suppress(Conflict):
            self._store.create_project(inbox)

    def create(self, user_id: str, data: ProjectCreate, owner: Person | None = None) -> Project:
        """``owner``: the caller's e-mail and name, for the member list (when known)."""
        project = self._new(user_id, new_project_id(), data.name, data.description)
        self._store.create_project(project, owner, self._quota)
        return project

    def get(self, user_id: str, project_id: str) -> Project:
        project_id = self.resolve_id(user_id, project_id)
        project = self._store.get_project(project_id, user_id)
        if project is None and project_id == inbox_project_id(user_id):
            self.ensure_inbox(user_id)
            project = self._store.get_project(project_id, user_id)
        if project is None:
            raise NotFound("project not found")
        return project

    def list(self, user_id: str, limit: int, cursor: str | None) -> Listing[Project]:
        bound = {"user": user_id, "list": "projects"}
        start = self._cursors.start(cursor, bound)
        page = self._store.list_projects(user_id, limit, start)
        # The Inbox sorts first, so the first page shows whether it exists yet.
        if start is None and not any(p.is_inbox for p in page.items):
            self.ensure_inbox(user_id)
            page = self._store.list_projects(user_id, limit, start)
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def update(
        self, user_id: str, project_id: str, patch: ProjectPatch, expected_version: int | None
    ) -> int | None:
        """Returns the new version when the caller named the one it changed."""
        project_id = self.resolve_id(user_id, project_id)
        changes = _changes(patch)
        self._store.update_project(
            project_id, user_id, OWNERS, changes, expected_version, self._clock()
        )
        return None if expected_version is None else expected_version + 1

    def delete(
        self, user_id: str, project_id: str, expected_version: int | None, force: bool
    ) -> None:
        """Marks the project deleted (every member loses it at once); the stream purges its
        items in the background (:mod:`tasklane.logic.project_purge`). Repeated by its
        owner while the purge runs, it answers the same."""
        project_id = self.resolve_id(user_id, project_id)
        try:
            project = self.get(user_id, project_id)
        except NotFound:
            if self._store.deletion_pending(project_id, user_id):
                return
            raise
        if project.role not in OWNERS:
            raise Forbidden("only the project owner can delete it")
        if project.is_inbox:
            raise Conflict("the Inbox cannot be deleted")
        if not force and self._store.project_has_tasks(project_id):
            raise Conflict(
                "the project has tasks; delete them first or pass ?force=true",
                {"force": "set force=true to delete the project with its tasks"},
            )
        self._store.delete_project(project_id, user_id, OWNERS, expected_version, self._clock())


def _changes(patch: ProjectPatch) -> dict[str, object]:
    try:
        changes = patch.changes()
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    if not changes:
        raise ValidationFailed("send at least one field to change")
    return changes
