"""Sharing by invitation: the owner invites an address, the user whose verified address it
is accepts or declines, and only acceptance makes them a member.

No step tells the owner whether an address has an account: inviting answers the same
invitation either way, and the invitee finds it later by their verified address (from their
profile, which follows Cognito's verified ``email``; an unverified address matches nothing).
Someone who changed their address to another person's has no verified address for it, so the
other person's invitations never reach them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.ids import inbox_project_id, new_invitation_id, split_invitation_id
from tasklane.domain.invitations import Invitation, InvitationStatus, email_key
from tasklane.domain.models import Member, MemberCreate, format_time, utc_now
from tasklane.domain.notifications import parse_instant
from tasklane.domain.ports.invitations import InvitationStore
from tasklane.domain.ports.limits import Quota, daily_quota
from tasklane.domain.profiles import Identity
from tasklane.logic.access import OWNERS
from tasklane.logic.pages import Cursors, Listing
from tasklane.logic.projects import ProjectService
from tasklane.settings import LimitSettings

if TYPE_CHECKING:
    from tasklane.logic.profiles import ProfileService


class InvitationService:
    def __init__(
        self,
        store: InvitationStore,
        projects: ProjectService,
        profiles: ProfileService,
        cursors: Cursors,
        limits: LimitSettings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._projects = projects
        self._profiles = profiles
        self._cursors = cursors
        self._limits = limits
        self._clock = clock

    # The owner -----------------------------------------------------------------------
    def invite(self, caller: Identity, project_id: str, data: MemberCreate) -> Invitation:
        """Round trips: a BatchGetItem (the project, and is the caller its owner?) and one
        TransactWriteItems (the invitation and the owner's two quota counters)."""
        user = caller.sub
        project_id = self._projects.resolve_id(user, project_id)
        if project_id == inbox_project_id(user):
            raise Conflict("the Inbox cannot be shared; share another project")
        project = self._projects.get(user, project_id)
        if project.role not in OWNERS:
            raise Forbidden("only the project owner can invite members")
        if caller.email and email_key(caller.email) == email_key(data.email):
            raise Conflict("you are a member of this project already")
        now = self._clock()
        invitation = Invitation(
            id=new_invitation_id(project_id),
            project_id=project_id,
            project_name=project.name,
            email=data.email.strip(),
            role=data.role,
            invited_by=user,
            inviter_name=caller.default_display_name(),
            created_at=format_time(now),
            expires_at=format_time(now + timedelta(days=self._limits.invitation_days)),
            status=InvitationStatus.pending,
        )
        self._store.create_invitation(
            invitation,
            user,
            OWNERS,
            Quota("pending_invitations", self._limits.pending_invitations),
            daily_quota("invitations_per_day", self._limits.invitations_per_day, now),
        )
        return invitation

    def pending(
        self, user_id: str, project_id: str, limit: int, cursor: str | None
    ) -> Listing[Invitation]:
        project_id = self._projects.resolve_id(user_id, project_id)
        bound = {"user": user_id, "project": project_id, "list": "invitations"}
        page = self._store.list_project_invitations(
            project_id, user_id, OWNERS, limit, self._cursors.start(cursor, bound)
        )
        return Listing(page.items, self._cursors.next(page.next_key, bound))

    def revoke(self, user_id: str, project_id: str, invitation_id: str) -> None:
        project_id = self._projects.resolve_id(user_id, project_id)
        found = self._store.get_invitation(invitation_id)
        if found is None or found.project_id != project_id:
            raise NotFound("invitation not found")
        self._store.close(found, InvitationStatus.revoked, self._clock(), user_id, OWNERS)

    # The invitee ---------------------------------------------------------------------
    def _verified_address(self, identity: Identity) -> str:
        """The caller's verified address, from their profile (which follows the token's
        verified ``email``); empty when they have none."""
        return email_key(self._profiles.get(identity).email)

    def mine(self, identity: Identity, limit: int, cursor: str | None) -> Listing[Invitation]:
        """The pending, unexpired invitations to the caller's verified address."""
        address = self._verified_address(identity)
        bound = {"user": identity.sub, "address": address, "list": "invitations"}
        start = self._cursors.start(cursor, bound)
        if not address:
            return Listing([], None)
        page = self._store.list_invitee_invitations(address, limit, start)
        now = self._clock()
        live = [i for i in page.items if parse_instant(i.expires_at) > now]
        return Listing(live, self._cursors.next(page.next_key, bound))

    def _addressed_to_caller(self, identity: Identity, invitation_id: str) -> Invitation:
        """The pending, unexpired invitation to the caller's verified address; anything
        else, including someone else's invitation, is unknown (404)."""
        found = (
            self._store.get_invitation(invitation_id)
            if split_invitation_id(invitation_id)
            else None
        )
        if (
            found is None
            or found.status is not InvitationStatus.pending
            or parse_instant(found.expires_at) <= self._clock()
            or found.email_key != self._verified_address(identity)
            or not found.email_key
        ):
            raise NotFound("invitation not found")
        return found

    def accept(self, identity: Identity, invitation_id: str) -> Invitation:
        """Round trips: a GetItem (the invitation), the profile (PostgreSQL, skipped once
        this container knows it) and one TransactWriteItems: the invitation closed, the
        membership added and counted, all or nothing."""
        invitation = self._addressed_to_caller(identity, invitation_id)
        profile = self._profiles.get(identity)
        now = self._clock()
        member = Member(
            user_id=identity.sub,
            email=profile.email,
            display_name=profile.display_name,
            role=invitation.role,
            added_at=format_time(now),
            added_by=invitation.invited_by,
        )
        self._store.accept(
            invitation, member, now, Quota("members_per_project", self._limits.members_per_project)
        )
        return invitation.model_copy(update={"status": InvitationStatus.accepted})

    def decline(self, identity: Identity, invitation_id: str) -> None:
        invitation = self._addressed_to_caller(identity, invitation_id)
        self._store.close(invitation, InvitationStatus.declined, self._clock())
