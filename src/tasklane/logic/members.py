"""Sharing a project: members and their roles, and what follows when one leaves.

The owner adds a user by e-mail with a role (editor or viewer), changes their role or
removes them; any member may leave, except the owner (a project always has its owner). The
invitee is found by the e-mail of their profile, which exists from their first request that
needs PostgreSQL (``/me``, ``/search``, ``/stats``, or adding a member): a user must have
signed in once before they can be added.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.ids import inbox_project_id
from tasklane.domain.models import (
    MAX_USER_ID,
    Member,
    MemberCreate,
    MemberPatch,
    Person,
    format_time,
    utc_now,
)
from tasklane.domain.ports.members import MemberStore, UserDirectory
from tasklane.domain.profiles import Identity
from tasklane.logic.access import OWNERS, READERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService

if TYPE_CHECKING:
    from tasklane.domain.ports.relational import Relational
    from tasklane.logic.profiles import ProfileService


class UserNotFound(NotFound):
    """No profile has the e-mail address (a 404 of its own: the project was found)."""

    code = "user_not_found"


class ProfileDirectory:
    """:class:`UserDirectory` on the profiles: one transaction, one or two statements (the
    caller's profile upsert is skipped once this container has seen it)."""

    def __init__(self, database: Relational, profiles: ProfileService) -> None:
        self._database = database
        self._profiles = profiles

    def lookup(self, caller: Identity, email: str) -> Person | None:
        with self._database.transaction() as tx:
            self._profiles.ensure(tx, caller)
            return tx.profiles.find_by_email(email)


def _member_id(user_id: str) -> str:
    # No user id is longer; a longer one would not even fit a DynamoDB key (a 500, not 404).
    if not 0 < len(user_id) <= MAX_USER_ID:
        raise NotFound("member not found")
    return user_id


class MemberService:
    def __init__(
        self,
        store: MemberStore,
        directory: UserDirectory,
        projects: ProjectService,
        cursors: Cursors,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._directory = directory
        self._projects = projects
        self._cursors = cursors
        self._clock = clock

    def add(self, caller: Identity, project_id: str, data: MemberCreate) -> Member:
        """Round trips: a BatchGetItem (is the caller the owner? asked before the e-mail
        is looked up, so nobody else learns which addresses have accounts), the profile
        lookup in PostgreSQL, and one TransactWriteItems that checks the owner again."""
        user = caller.sub
        project_id = self._projects.resolve_id(user, project_id)
        if project_id == inbox_project_id(user):
            raise Conflict("the Inbox cannot be shared; share another project")
        project = self._projects.get(user, project_id)
        if project.role not in OWNERS:
            raise Forbidden("only the project owner can add members")
        invitee = self._directory.lookup(caller, data.email)
        if invitee is None:
            raise UserNotFound(
                "no user has this e-mail address; they must sign in to Tasklane once first",
                {"email": "no user with this e-mail address"},
            )
        member = Member(
            user_id=invitee.user_id,
            email=invitee.email,
            display_name=invitee.display_name,
            role=data.role,
            added_at=format_time(self._clock()),
            added_by=user,
        )
        self._store.create_member(project_id, member, user, OWNERS)
        return member

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
