"""``ProjectStore``: projects, the unit of ownership.

Each method is one unit of work with one authorisation rule, enforced in the same round trip
as the work itself: the caller names the roles that may do it, and the store refuses
(NotFound / Forbidden) in that round trip.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from tasklane.domain.models import Person, Project, Role
from tasklane.domain.ports.pages import Page, PageKey


class ProjectStore(Protocol):
    def create_project(self, project: Project, owner: Person | None = None) -> None:
        """Project and the owner's membership (with ``owner``'s e-mail and name when
        given), atomically. Conflict if the id exists."""

    def get_project(self, project_id: str, user_id: str) -> Project | None:
        """The project with ``role`` set to the caller's; None if absent or not a member."""

    def list_projects(self, user_id: str, limit: int, start: PageKey | None) -> Page[Project]:
        """The caller's projects, Inbox first, then oldest first."""

    def update_project(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        changes: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """Applies ``changes`` and bumps ``version``; PreconditionFailed if
        ``expected_version`` is stale."""

    def delete_project(
        self, project_id: str, user_id: str, roles: Collection[Role], expected_version: int | None
    ) -> None:
        """Deletes the project and the caller's membership (then nobody can reach its
        tasks); ``purge_project`` removes what is left in it."""

    def project_has_tasks(self, project_id: str) -> bool: ...

    def purge_project(self, project_id: str) -> int:
        """Deletes every remaining item of a deleted project; returns how many."""
