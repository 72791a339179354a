"""``InvitationStore``: invitations to a project, in its partition; the invitee's pending
ones by their address (gsi1)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from tasklane.domain.invitations import Invitation, InvitationStatus
from tasklane.domain.models import Member, Role
from tasklane.domain.ports.limits import DailyQuota, Quota
from tasklane.domain.ports.pages import Page, PageKey


class InvitationStore(Protocol):
    def create_invitation(
        self,
        invitation: Invitation,
        user_id: str,
        roles: Collection[Role],
        pending: Quota,
        daily: DailyQuota,
    ) -> None:
        """Records a pending invitation, counted against the inviter's pending and daily
        quotas, atomically, if the caller has one of ``roles`` in the project and it is not
        deleted. NotFound / Forbidden for the caller; LimitReached; TooManyRequests."""

    def get_invitation(self, invitation_id: str) -> Invitation | None:
        """Any invitation by id, whoever asks (the use case decides who may see it)."""

    def list_project_invitations(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        limit: int,
        start: PageKey | None,
    ) -> Page[Invitation]:
        """The project's pending invitations, oldest first; NotFound / Forbidden for the
        caller (one membership read and one Query of at most ``limit + 1`` items)."""

    def list_invitee_invitations(
        self, email_key: str, limit: int, start: PageKey | None
    ) -> Page[Invitation]:
        """The pending invitations to this address (compared as ``email_key``), newest
        first; expired ones may still be there (the use case drops them)."""

    def accept(self, invitation: Invitation, member: Member, now: datetime, members: Quota) -> None:
        """Closes the invitation as accepted and adds ``member``, atomically, if it is still
        pending, unexpired at ``now``, addressed to ``member.email`` and its project is not
        deleted; counted against the project's ``members`` quota. NotFound otherwise;
        Conflict if already a member, or ``project_archived`` while the project is archived
        (as for inviting and revoking); LimitReached."""

    def close(
        self,
        invitation: Invitation,
        status: InvitationStatus,
        now: datetime,
        user_id: str | None = None,
        roles: Collection[Role] = (),
    ) -> None:
        """Closes a pending invitation (declined by its invitee: no ``user_id``; revoked by
        a member with one of ``roles``: NotFound / Forbidden for the caller) and frees the
        inviter's pending slot. NotFound if it is not pending any more."""

    def release_removed(self, invitation_id: str, invited_by: str) -> bool:
        """A pending invitation was removed without being closed (TTL, or its project's
        purge): frees the inviter's pending slot, once per invitation (False: already)."""
