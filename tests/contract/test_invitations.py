"""The ``InvitationStore`` contract (tasklane.domain.ports.invitations), on every
implementation: invitations, their quotas and acceptance as one unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.domain.errors import Conflict, Forbidden, LimitReached, NotFound, TooManyRequests
from tasklane.domain.ids import new_invitation_id
from tasklane.domain.invitations import Invitation, InvitationStatus
from tasklane.domain.models import Member, Role, format_time
from tasklane.domain.ports.limits import DailyQuota, Quota
from tasklane.logic.access import OWNERS

from .conftest import ALICE, BOB, CAROL, T0, Shared

DAVE = "user-dave"
PENDING = Quota("pending_invitations", 3)
MEMBERS = Quota("members_per_project", 3)


def daily(maximum: int = 10) -> DailyQuota:
    return DailyQuota("invitations_per_day", maximum, "2025-03-01", 3600, 2_000_000_000)


def invitation(project_id: str, email: str = "Dave@Example.com", days: int = 14) -> Invitation:
    return Invitation(
        id=new_invitation_id(project_id),
        project_id=project_id,
        project_name="Launch",
        email=email,
        role=Role.editor,
        invited_by=ALICE,
        inviter_name="Alice",
        created_at=format_time(T0),
        expires_at=format_time(T0 + timedelta(days=days)),
        status=InvitationStatus.pending,
    )


def member(user_id: str = DAVE, email: str = "dave@example.com") -> Member:
    return Member(
        user_id=user_id,
        email=email,
        display_name="Dave",
        role=Role.editor,
        added_at=format_time(T0),
        added_by=ALICE,
    )


def test_an_invitation_is_found_by_its_project_and_its_address(shared: Shared) -> None:
    store, project_id = shared.backend.invitations(), shared.project.id
    made = invitation(project_id)
    store.create_invitation(made, ALICE, OWNERS, PENDING, daily())
    assert store.get_invitation(made.id) == made
    assert store.get_invitation(new_invitation_id(project_id)) is None
    assert store.get_invitation("not-an-id") is None
    listed = store.list_project_invitations(project_id, ALICE, OWNERS, 10, None)
    assert [i.id for i in listed.items] == [made.id]
    mine = store.list_invitee_invitations("dave@example.com", 10, None)
    assert [i.id for i in mine.items] == [made.id]
    assert store.list_invitee_invitations("other@example.com", 10, None).items == []
    with pytest.raises(Forbidden):
        store.list_project_invitations(project_id, BOB, OWNERS, 10, None)
    with pytest.raises(NotFound):
        store.list_project_invitations(project_id, DAVE, OWNERS, 10, None)


def test_only_the_owner_invites(shared: Shared) -> None:
    store, project_id = shared.backend.invitations(), shared.project.id
    with pytest.raises(Forbidden):
        store.create_invitation(invitation(project_id), BOB, OWNERS, PENDING, daily())
    with pytest.raises(NotFound):
        store.create_invitation(invitation(project_id), DAVE, OWNERS, PENDING, daily())
    assert store.list_invitee_invitations("dave@example.com", 10, None).items == []


def test_acceptance_adds_the_member_and_closes_the_invitation(shared: Shared) -> None:
    backend, project_id = shared.backend, shared.project.id
    store = backend.invitations()
    made = invitation(project_id)
    store.create_invitation(made, ALICE, OWNERS, PENDING, daily())
    with pytest.raises(NotFound):  # addressed to someone else
        store.accept(made, member(email="mallory@example.com"), T0, MEMBERS)
    with pytest.raises(NotFound):  # expired
        store.accept(made, member(), T0 + timedelta(days=15), MEMBERS)
    store.accept(made, member(), T0, MEMBERS)
    assert backend.members().get_member(project_id, DAVE, ALICE) == member()
    closed = store.get_invitation(made.id)
    assert closed is not None
    assert closed.status is InvitationStatus.accepted
    assert store.list_invitee_invitations("dave@example.com", 10, None).items == []
    assert store.list_project_invitations(project_id, ALICE, OWNERS, 10, None).items == []
    with pytest.raises(NotFound):  # once
        store.accept(made, member(), T0, MEMBERS)
    again = invitation(project_id)
    store.create_invitation(again, ALICE, OWNERS, PENDING, daily())
    with pytest.raises(Conflict):
        store.accept(again, member(), T0, MEMBERS)


def test_decline_and_revoke_close_it(shared: Shared) -> None:
    store, project_id = shared.backend.invitations(), shared.project.id
    declined, revoked = invitation(project_id), invitation(project_id, "erin@example.com")
    for made in (declined, revoked):
        store.create_invitation(made, ALICE, OWNERS, PENDING, daily())
    store.close(declined, InvitationStatus.declined, T0)
    with pytest.raises(Forbidden):
        store.close(revoked, InvitationStatus.revoked, T0, BOB, OWNERS)
    store.close(revoked, InvitationStatus.revoked, T0, ALICE, OWNERS)
    with pytest.raises(NotFound):
        store.close(revoked, InvitationStatus.revoked, T0, ALICE, OWNERS)
    with pytest.raises(NotFound):
        store.accept(declined, member(), T0, MEMBERS)
    statuses = {store.get_invitation(i.id).status for i in (declined, revoked)}  # type: ignore[union-attr]
    assert statuses == {InvitationStatus.declined, InvitationStatus.revoked}


def test_pending_invitations_are_limited_and_closing_frees_a_place(shared: Shared) -> None:
    store, project_id = shared.backend.invitations(), shared.project.id
    made = [invitation(project_id, f"p{n}@example.com") for n in range(3)]
    for one in made:
        store.create_invitation(one, ALICE, OWNERS, PENDING, daily())
    extra = invitation(project_id, "p3@example.com")
    with pytest.raises(LimitReached) as refused:
        store.create_invitation(extra, ALICE, OWNERS, PENDING, daily())
    assert refused.value.details == {"limit": "pending_invitations", "max": 3}
    assert store.get_invitation(extra.id) is None
    store.close(made[0], InvitationStatus.declined, T0)
    store.create_invitation(extra, ALICE, OWNERS, PENDING, daily())
    # A pending one removed without being closed (TTL, purge) frees its place once.
    assert store.release_removed(made[1].id, ALICE) is True
    assert store.release_removed(made[1].id, ALICE) is False
    store.create_invitation(
        invitation(project_id, "p4@example.com"), ALICE, OWNERS, PENDING, daily()
    )
    with pytest.raises(LimitReached):
        store.create_invitation(
            invitation(project_id, "p5@example.com"), ALICE, OWNERS, PENDING, daily()
        )


def test_invitations_per_day_are_rate_limited(shared: Shared) -> None:
    store, project_id = shared.backend.invitations(), shared.project.id
    store.create_invitation(
        invitation(project_id, "a@example.com"), ALICE, OWNERS, PENDING, daily(1)
    )
    with pytest.raises(TooManyRequests) as refused:
        store.create_invitation(
            invitation(project_id, "b@example.com"), ALICE, OWNERS, PENDING, daily(1)
        )
    assert refused.value.retry_after == 3600


def test_members_are_limited_per_project(shared: Shared) -> None:
    backend, project_id = shared.backend, shared.project.id
    store = backend.invitations()
    quota = Quota("members_per_project", 1)
    first, second = invitation(project_id), invitation(project_id, "erin@example.com")
    for made in (first, second):
        store.create_invitation(made, ALICE, OWNERS, PENDING, daily())
    store.accept(first, member(), T0, quota)
    with pytest.raises(LimitReached):
        store.accept(second, member("user-erin", "erin@example.com"), T0, quota)
    backend.members().remove_member(project_id, DAVE, ALICE, OWNERS)
    store.accept(second, member("user-erin", "erin@example.com"), T0, quota)
    assert backend.members().get_member(project_id, "user-erin", CAROL) is not None


def test_a_direct_add_counts_under_the_member_limit(shared: Shared) -> None:
    """An operator's direct add (``MemberStore.create_member``) is counted, never refused,
    as its removal frees a place: the counter acceptance checks stays true."""
    backend, project_id = shared.backend, shared.project.id
    store, members = backend.invitations(), backend.members()
    quota = Quota("members_per_project", 1)
    members.create_member(project_id, member(), ALICE, OWNERS)
    erin = invitation(project_id, "erin@example.com")
    store.create_invitation(erin, ALICE, OWNERS, PENDING, daily())
    with pytest.raises(LimitReached):
        store.accept(erin, member("user-erin", "erin@example.com"), T0, quota)
    members.remove_member(project_id, DAVE, ALICE, OWNERS)
    store.accept(erin, member("user-erin", "erin@example.com"), T0, quota)
    assert members.get_member(project_id, "user-erin", CAROL) is not None
