"""An expired (TTL) or purged pending invitation frees its inviter's pending place, once."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.dal.dynamodb import counters
from tasklane.domain.errors import LimitReached
from tasklane.domain.ids import new_invitation_id
from tasklane.domain.invitations import Invitation, InvitationStatus
from tasklane.domain.models import Role
from tasklane.domain.ports.limits import DailyQuota, Quota
from tasklane.logic.access import OWNERS
from tasklane.logic.invitation_release import InvitationRelease
from tasklane.logic.stream import StreamChange
from tests.fakes.invitations import InMemoryInvitations
from tests.fakes.table import InMemoryTable
from tests.unit.logic.notifications.support import ADA as OWNER
from tests.unit.logic.notifications.support import PROJECT, members_table

PENDING = Quota("pending_invitations", 1)
DAY = DailyQuota("invitations_per_day", 10, "2025-03-01", 60, 0)


def made(email: str) -> Invitation:
    return Invitation(
        id=new_invitation_id(PROJECT),
        project_id=PROJECT,
        project_name="Launch",
        email=email,
        role=Role.editor,
        invited_by=OWNER,
        inviter_name="Alice",
        created_at="2025-03-01T00:00:00.000Z",
        expires_at="2025-03-15T00:00:00.000Z",
        status=InvitationStatus.pending,
    )


def removed(invitation: Invitation, status: str = "pending", seq: str = "1") -> StreamChange:
    old: dict[str, Any] = {
        "type": "invitation",
        "invitation_id": invitation.id,
        "invited_by": invitation.invited_by,
        "status": status,
    }
    return StreamChange(
        event_id=f"e{seq}",
        event_name="REMOVE",
        sequence_number=seq,
        keys={"pk": f"PROJECT#{PROJECT}", "sk": "INVITE#x"},
        old=old,
        new=None,
    )


@pytest.fixture
def table() -> InMemoryTable:
    return members_table(OWNER)  # the owner's project "Launch"


@pytest.fixture
def store(table: InMemoryTable) -> InMemoryInvitations:
    return InMemoryInvitations(table)


def test_an_expired_pending_invitation_frees_its_place_once(store: InMemoryInvitations) -> None:
    first = made("one@example.com")
    store.create_invitation(first, OWNER, OWNERS, PENDING, DAY)
    with pytest.raises(LimitReached):
        store.create_invitation(made("two@example.com"), OWNER, OWNERS, PENDING, DAY)
    release = InvitationRelease(store)
    release.handle(removed(first))  # DynamoDB's TTL removed it
    release.handle(removed(first, seq="2"))  # a redelivery frees nothing more
    store.create_invitation(made("two@example.com"), OWNER, OWNERS, PENDING, DAY)
    with pytest.raises(LimitReached):
        store.create_invitation(made("three@example.com"), OWNER, OWNERS, PENDING, DAY)


def test_a_closed_invitations_removal_frees_nothing(
    store: InMemoryInvitations, table: InMemoryTable
) -> None:
    pending = made("pending@example.com")
    store.create_invitation(pending, OWNER, OWNERS, PENDING, DAY)
    InvitationRelease(store).handle(removed(made("gone@example.com"), status="accepted"))
    assert table.count(counters.user_counters_key(OWNER), "pending_invitations") == 1
