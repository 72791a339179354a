"""Invitations: how a project is shared. The owner invites an e-mail address; only the user
whose *verified* address it is can accept (or decline); acceptance creates the membership.

An invitation is an item in its project's partition, found by its invitee through their
verified address (never through an account lookup: the owner gets the same answer whether
or not the address has an account). It stays ``pending`` until it is accepted, declined,
revoked or expires; closed ones are kept a few days (history), then DynamoDB's TTL removes
them.
"""

from enum import StrEnum

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.models import Role

#: Days a closed invitation is kept before DynamoDB's TTL removes it.
CLOSED_KEPT_DAYS = 7


class InvitationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    revoked = "revoked"


def email_key(email: str) -> str:
    """How addresses are compared: trimmed, case-insensitively (as Cognito compares them
    in a pool whose sign-in is case-insensitive)."""
    return email.strip().lower()


class Invitation(Model):
    id: str = Field(description="`<project id>-<ulid>`.")
    project_id: str
    project_name: str = Field(description="As the project was named when the invitation was made.")
    email: str = Field(description="The invited address, as the owner typed it.")
    role: Role
    invited_by: str = Field(description="The owner's user id.")
    inviter_name: str
    created_at: str
    expires_at: str = Field(description="UTC, RFC 3339; after it the invitation is gone.")
    status: InvitationStatus

    @property
    def email_key(self) -> str:
        return email_key(self.email)


class InvitationPage(Model):
    items: list[Invitation]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
