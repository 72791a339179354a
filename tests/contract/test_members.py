"""The ``MemberStore`` contract (tasklane.domain.ports.members), on every implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.models import Member, Role, format_time
from tasklane.domain.ports.members import MemberStore
from tasklane.logic.access import OWNERS, READERS

from .conftest import ALICE, BOB, CAROL, T0, Backend, Shared, owner, project

DAVE, ERIN = "user-dave", "user-erin"


def member(user_id: str, role: Role = Role.editor) -> Member:
    return Member(
        user_id=user_id,
        email=f"{user_id}@example.com",
        display_name=user_id.removeprefix("user-").title(),
        role=role,
        added_at=format_time(T0),
        added_by=ALICE,
    )


def test_the_owner_adds_members_and_members_read_them(shared: Shared) -> None:
    members, project_id = shared.backend.members(), shared.project.id
    dave = member(DAVE, Role.viewer)
    members.create_member(project_id, dave, ALICE, OWNERS)
    assert members.get_member(project_id, DAVE, CAROL) == dave
    assert members.get_member(project_id, DAVE, DAVE) == dave
    assert members.get_member(project_id, DAVE, "user-stranger") is None
    assert members.get_member(project_id, ERIN, ALICE) is None
    with pytest.raises(Conflict):
        members.create_member(project_id, dave, ALICE, OWNERS)
    with pytest.raises(Conflict):
        members.create_member(project_id, member(ALICE), ALICE, OWNERS)


def test_only_the_given_roles_add_members(shared: Shared) -> None:
    members, project_id = shared.backend.members(), shared.project.id
    with pytest.raises(Forbidden):
        members.create_member(project_id, member(DAVE), BOB, OWNERS)
    with pytest.raises(NotFound):
        members.create_member(project_id, member(DAVE), "user-stranger", OWNERS)
    assert members.get_member(project_id, DAVE, ALICE) is None


def _all(members: MemberStore, project_id: str, user: str, limit: int) -> list[str]:
    seen: list[str] = []
    start = None
    for _ in range(20):
        page = members.list_members(project_id, user, limit, start)
        assert len(page.items) <= limit
        seen += [m.user_id for m in page.items]
        start = page.next_key
        if start is None:
            return seen
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
@pytest.mark.parametrize("reader", [ALICE, CAROL])
def test_the_list_is_the_owner_first_then_the_others(
    shared: Shared, limit: int, reader: str
) -> None:
    members, project_id = shared.backend.members(), shared.project.id
    members.create_member(project_id, member(DAVE), ALICE, OWNERS)
    others = sorted([BOB, CAROL, DAVE])
    assert _all(members, project_id, reader, limit) == [ALICE, *others]
    with pytest.raises(NotFound):
        members.list_members(project_id, "user-stranger", limit, None)


def test_the_owners_entry_carries_their_name(backend: Backend) -> None:
    work = project()
    backend.projects().create_project(work, owner())
    (alice,) = backend.members().list_members(work.id, ALICE, 10, None).items
    assert (alice.user_id, alice.email, alice.role) == (ALICE, f"{ALICE}@example.com", Role.owner)


def test_role_changes_and_their_refusals(shared: Shared) -> None:
    members, project_id = shared.backend.members(), shared.project.id
    members.update_member(project_id, CAROL, ALICE, OWNERS, Role.editor)
    carol = members.get_member(project_id, CAROL, ALICE)
    assert carol is not None
    assert carol.role is Role.editor
    with pytest.raises(Conflict):
        members.update_member(project_id, ALICE, ALICE, OWNERS, Role.viewer)  # the owner's own
    with pytest.raises(Forbidden):
        members.update_member(project_id, CAROL, BOB, OWNERS, Role.viewer)
    with pytest.raises(Forbidden):
        members.update_member(project_id, BOB, BOB, OWNERS, Role.viewer)  # one's own role
    with pytest.raises(NotFound):
        members.update_member(project_id, DAVE, ALICE, OWNERS, Role.viewer)
    with pytest.raises(NotFound):
        members.update_member(project_id, BOB, "user-stranger", OWNERS, Role.viewer)


def test_the_owner_removes_members_may_leave_the_owner_stays(shared: Shared) -> None:
    members, project_id = shared.backend.members(), shared.project.id
    members.remove_member(project_id, CAROL, ALICE, OWNERS)
    assert members.get_member(project_id, CAROL, ALICE) is None
    members.remove_member(project_id, BOB, BOB, READERS)  # leaving
    assert members.get_member(project_id, BOB, ALICE) is None
    with pytest.raises(NotFound):
        members.list_members(project_id, BOB, 10, None)
    with pytest.raises(Conflict):
        members.remove_member(project_id, ALICE, ALICE, READERS)
    with pytest.raises(NotFound):
        members.remove_member(project_id, BOB, ALICE, OWNERS)
    members.create_member(project_id, member(DAVE, Role.viewer), ALICE, OWNERS)
    with pytest.raises(Forbidden):
        members.remove_member(project_id, ALICE, DAVE, OWNERS)
    assert _all(members, project_id, ALICE, 10) == [ALICE, DAVE]
