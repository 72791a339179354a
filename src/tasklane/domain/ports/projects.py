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
from tasklane.domain.ports.limits import Quota
from tasklane.domain.ports.pages import Page, PageKey


class ProjectStore(Protocol):
    def create_project(
        self, project: Project, owner: Person | None = None, quota: Quota | None = None
    ) -> None:
        """Project and the owner's membership (with ``owner``'s e-mail and name when
        given), atomically, counted against the owner's ``quota`` when given (the Inbox is
        not). Conflict if the id exists; LimitReached."""

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
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        expected_version: int | None,
        now: datetime,
    ) -> None:
        """Marks the project deleted and deletes every membership with it, in one write
        (then no former member reaches anything in it), and frees its place under the
        owner's project quota; the purge (:class:`ProjectPurgeStore`) removes the rest."""

    def deletion_pending(self, project_id: str, user_id: str) -> bool:
        """The project is marked deleted, its purge not finished, and ``user_id`` owned it
        (a repeated delete answers as the first did)."""

    def project_has_tasks(self, project_id: str) -> bool: ...


class ProjectPurgeStore(Protocol):
    """The purge of a marked project's items (:mod:`tasklane.domain.project_purge`)."""

    def next_sort_keys(self, project_id: str, limit: int) -> list[str]:
        """Up to ``limit`` sort keys of the project's partition, memberships first (the
        project item among them only when no membership is left)."""

    def delete_items(self, project_id: str, sort_keys: list[str]) -> int:
        """Deletes these items of the project (at most 25); returns how many."""

    def finish(self, project_id: str) -> bool:
        """Deletes the project item if it is marked deleted; False if it is not there."""

    def continue_later(self, project_id: str, now: datetime) -> None:
        """Touches the marked project item (a new stream record: the next pass) and notes
        when; nothing if the project item is gone."""

    def stalled(self, before: datetime, limit: int) -> list[str]:
        """Marked projects whose last pass started before ``before``, oldest first."""
