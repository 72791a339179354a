"""A project's members and their roles, and what follows when one leaves.

Members join by accepting an invitation (:mod:`tasklane.logic.invitations`); the owner
changes their role or removes them; any member may leave, except the owner (a project always
has its owner).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import NotFound
from tasklane.domain.ids import inbox_project_id
from tasklane.domain.models import MAX_USER_ID, Member, MemberPatch, utc_now
from tasklane.domain.ports.members import MemberStore
from tasklane.logic.access import OWNERS, READERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService


def _member_id(user_id: str) -> str:
    # No user id is longer; a longer one would not even fit a DynamoDB key (a 500, not 404).
    if not 0 < len(user_id) <= MAX_USER_ID:
        raise NotFound("member not found")
    return user_id


class MemberService:
    def __init__(
        self,
        store: MemberStore,
        projects: ProjectService,
        cursors: Cursors,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._projects = projects
        self._cursors = cursors
        self._clock = clock

    def list(
        self, user_id: str, project_id: str, limit: int, cursor: str | None
    ) -> Listing[Member]:
        project_id = self._projects.resolve_id(user_id, project_id)
        bound = {"user": user_id, "project": project_id, "list": "members"}
        start = self._cursors.start(cursor, bound)
        try:
            page = self._store.list_members(project_id, user_id, limit, start)
        except NotFound:
            if project_id != inbox_project_id(user_id) or start is not None:
                raise
            self._projects.ensure_inbox(user_id)
            page = self._store.list_members(project_id, user_id, limit, start)
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def change_role(
        self, user_id: str, project_id: str, member_id: str, patch: MemberPatch
    ) -> Member:
        """Two round trips: the change (one TransactWriteItems) and a BatchGetItem to
        answer with the membership."""
        project_id = self._projects.resolve_id(user_id, project_id)
        member_id = _member_id(member_id)
        self._store.update_member(project_id, member_id, user_id, OWNERS, patch.role)
        member = self._store.get_member(project_id, member_id, user_id)
        if member is None:  # removed in between
            raise NotFound("member not found")
        return member

    def remove(self, user_id: str, project_id: str, member_id: str) -> None:
        """The owner removes anyone else; every member may leave (remove themself)."""
        project_id = self._projects.resolve_id(user_id, project_id)
        member_id = _member_id(member_id)
        roles = READERS if member_id == user_id else OWNERS
        self._store.remove_member(project_id, member_id, user_id, roles)
