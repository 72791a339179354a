"""``MemberStore``: who is in a project, with which role (members join by invitation:
``tasklane.domain.ports.invitations``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from tasklane.domain.models import Member, Role
from tasklane.domain.ports.pages import Page, PageKey


class MemberStore(Protocol):
    def create_member(
        self, project_id: str, member: Member, user_id: str, roles: Collection[Role]
    ) -> None:
        """Adds ``member`` directly (set-up and operators; users join by invitation); the
        caller needs one of ``roles``. Conflict if already a member."""

    def get_member(self, project_id: str, member_id: str, user_id: str) -> Member | None:
        """``member_id``'s membership, if the caller is a member too (else None)."""

    def list_members(
        self, project_id: str, user_id: str, limit: int, start: PageKey | None
    ) -> Page[Member]:
        """One page, the owner first. NotFound if the caller is not a member."""

    def update_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role], role: Role
    ) -> None:
        """Changes a member's role. Conflict for the owner's membership."""

    def remove_member(
        self, project_id: str, member_id: str, user_id: str, roles: Collection[Role]
    ) -> None:
        """Removes a membership: the caller's own (leaving: any role) or, with one of
        ``roles``, someone else's. Conflict for the owner's membership."""
