"""MemberService on the fakes of its ports: sharing a project, roles, leaving, and assignees."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from tasklane.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tasklane.domain.models import (
    Member,
    MemberCreate,
    MemberPatch,
    Person,
    ProjectCreate,
    Role,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    format_time,
)
from tasklane.domain.profiles import Identity
from tasklane.logic.members import MemberService
from tasklane.logic.membership_cleanup import MembershipCleanup
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.stream import StreamChange
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import T0, Clock, Fakes

ALICE, BOB, CAROL, DAVE = "user-alice", "user-bob", "user-carol", "user-dave"
AS_ALICE = Identity(sub=ALICE, email="alice@example.com", name="Alice")


def me(user: str) -> Identity:
    return Identity(sub=user, email=f"{user}@example.com")


@pytest.fixture
def members(
    fakes: Fakes, projects: ProjectService, cursors: Cursors, clock: Clock
) -> MemberService:
    return MemberService(fakes.members, projects, cursors, clock=clock)


@pytest.fixture
def shared(projects: ProjectService, fakes: Fakes) -> str:
    """Alice's project, with Bob as editor and Carol as viewer."""
    owner = Person(user_id=ALICE, email="alice@example.com", display_name="Alice")
    project_id = projects.create(ALICE, ProjectCreate(name="Shared"), owner).id
    fakes.share(project_id, BOB, Role.editor)
    fakes.share(project_id, CAROL, Role.viewer)
    return project_id


def _all_members(members: MemberService, user: str, project_id: str, limit: int) -> list[Member]:
    found: list[Member] = []
    cursor: str | None = None
    for _ in range(20):
        page = members.list(user, project_id, limit, cursor)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found
    raise AssertionError("the member list does not end")


# Adding: by invitation (tests/unit/logic/test_invitations.py) ----------------------------
def test_ownership_cannot_be_granted() -> None:
    for body in ({"email": "b@example.com", "role": "owner"}, {"email": "nope", "role": "viewer"}):
        with pytest.raises(ValidationError):
            MemberCreate.model_validate(body)
    with pytest.raises(ValidationError):
        MemberPatch.model_validate({"role": "owner"})


# Listing ----------------------------------------------------------------------------------
@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_members_page_owner_first_without_gaps(
    fakes: Fakes, members: MemberService, shared: str, limit: int
) -> None:
    fakes.share(shared, DAVE, Role.viewer)
    for user in (ALICE, CAROL):
        found = _all_members(members, user, shared, limit)
        assert [m.user_id for m in found] == [ALICE, BOB, CAROL, DAVE]


def test_strangers_cannot_list_members(members: MemberService, shared: str) -> None:
    with pytest.raises(NotFound):
        members.list(DAVE, shared, 50, None)


def test_the_inbox_lists_its_owner_before_it_exists(members: MemberService) -> None:
    assert [m.user_id for m in members.list(ALICE, "inbox", 50, None).items] == [ALICE]


# Roles ------------------------------------------------------------------------------------
def test_roles_decide_who_writes_tasks(
    tasks: TaskService, projects: ProjectService, shared: str
) -> None:
    by_bob = tasks.create(BOB, shared, TaskCreate(title="editor writes"))
    assert tasks.get(CAROL, by_bob.id).title == "editor writes"
    assert [t.id for t in tasks.list(CAROL, shared, TaskQuery(), None).items] == [by_bob.id]
    assert projects.get(CAROL, shared).role is Role.viewer
    with pytest.raises(Forbidden):
        tasks.create(CAROL, shared, TaskCreate(title="viewer writes"))
    with pytest.raises(Forbidden):
        tasks.update(CAROL, by_bob.id, TaskPatch(title="no"), None)
    with pytest.raises(Forbidden):
        tasks.delete(CAROL, by_bob.id, None)
    with pytest.raises(NotFound):
        tasks.get(DAVE, by_bob.id)
    with pytest.raises(NotFound):
        tasks.update(DAVE, by_bob.id, TaskPatch(title="no"), None)
    tasks.delete(BOB, by_bob.id, None)


def test_only_the_owner_changes_project_settings(projects: ProjectService, shared: str) -> None:
    from tasklane.domain.models import ProjectPatch

    for user in (BOB, CAROL):
        with pytest.raises(Forbidden):
            projects.update(user, shared, ProjectPatch(name="mine"), None)
        with pytest.raises(Forbidden):
            projects.delete(user, shared, None, force=True)


def test_the_owner_changes_roles(
    members: MemberService, tasks: TaskService, shared: str, clock: Clock
) -> None:
    changed = members.change_role(ALICE, shared, BOB, MemberPatch(role=Role.viewer))
    assert (changed.user_id, changed.role, changed.added_by) == (BOB, Role.viewer, ALICE)
    with pytest.raises(Forbidden):
        tasks.create(BOB, shared, TaskCreate(title="no longer"))
    members.change_role(ALICE, shared, CAROL, MemberPatch(role=Role.editor))
    assert tasks.create(CAROL, shared, TaskCreate(title="now I can")).created_by == CAROL


@pytest.mark.parametrize(
    ("caller", "target", "error"),
    [
        (ALICE, ALICE, Conflict),  # the owner's own membership
        (BOB, CAROL, Forbidden),
        (BOB, BOB, Forbidden),  # nobody raises their own role
        (CAROL, CAROL, Forbidden),
        (BOB, ALICE, Forbidden),
        (ALICE, DAVE, NotFound),
        (DAVE, BOB, NotFound),
    ],
)
def test_role_changes_that_are_refused(
    members: MemberService, shared: str, caller: str, target: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        members.change_role(caller, shared, target, MemberPatch(role=Role.editor))
    roles = {m.user_id: m.role for m in members.list(ALICE, shared, 50, None).items}
    assert roles == {ALICE: Role.owner, BOB: Role.editor, CAROL: Role.viewer}


# Removing and leaving ---------------------------------------------------------------------
def test_the_owner_removes_and_members_leave(
    members: MemberService, projects: ProjectService, tasks: TaskService, shared: str
) -> None:
    task = tasks.create(ALICE, shared, TaskCreate(title="shared"))
    members.remove(ALICE, shared, BOB)
    members.remove(CAROL, shared, CAROL)
    assert [m.user_id for m in members.list(ALICE, shared, 50, None).items] == [ALICE]
    for user in (BOB, CAROL):
        with pytest.raises(NotFound):
            projects.get(user, shared)
        with pytest.raises(NotFound):
            tasks.get(user, task.id)
        assert [p.id for p in projects.list(user, 50, None).items if p.id == shared] == []


@pytest.mark.parametrize(
    ("caller", "target", "error"),
    [
        (ALICE, ALICE, Conflict),  # the owner cannot leave
        (BOB, CAROL, Forbidden),
        (CAROL, BOB, Forbidden),
        (BOB, ALICE, Forbidden),
        (ALICE, DAVE, NotFound),
        (DAVE, DAVE, NotFound),
        (DAVE, BOB, NotFound),
    ],
)
def test_removals_that_are_refused(
    members: MemberService, shared: str, caller: str, target: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        members.remove(caller, shared, target)
    assert len(members.list(ALICE, shared, 50, None).items) == 3


# Assignees --------------------------------------------------------------------------------
def _due(day: int) -> datetime:
    return datetime(2025, 4, day, 12, tzinfo=UTC)


def test_tasks_are_assigned_to_members_only(tasks: TaskService, shared: str) -> None:
    task = tasks.create(ALICE, shared, TaskCreate(title="for bob", assignee_id=BOB))
    assert (task.assignee_id, task.updated_by) == (BOB, ALICE)
    assert tasks.get(BOB, task.id).assignee_id == BOB
    assert tasks.create(BOB, shared, TaskCreate(title="mine", assignee_id=BOB)).assignee_id == BOB
    with pytest.raises(ValidationFailed) as caught:
        tasks.create(ALICE, shared, TaskCreate(title="x", assignee_id=DAVE))
    assert caught.value.details == {"assignee_id": "must be a member of the project"}
    with pytest.raises(ValidationFailed):
        tasks.update(ALICE, task.id, TaskPatch(assignee_id=DAVE), None)
    assert tasks.get(ALICE, task.id).assignee_id == BOB
    # A viewer may be assigned (to do the work outside Tasklane), not assign.
    tasks.update(BOB, task.id, TaskPatch(assignee_id=CAROL), None)
    changed = tasks.get(ALICE, task.id)
    assert (changed.assignee_id, changed.updated_by, changed.version) == (CAROL, BOB, 2)
    with pytest.raises(Forbidden):
        tasks.update(CAROL, task.id, TaskPatch(assignee_id=None), None)


def test_assigned_to_me_across_projects_due_soonest_first(
    fakes: Fakes, tasks: TaskService, projects: ProjectService, members: MemberService, shared: str
) -> None:
    other = projects.create(DAVE, ProjectCreate(name="Dave's")).id
    fakes.share(other, BOB, Role.viewer)
    undated = tasks.create(ALICE, shared, TaskCreate(title="whenever", assignee_id=BOB))
    late = tasks.create(ALICE, shared, TaskCreate(title="late", due_at=_due(9), assignee_id=BOB))
    soon = tasks.create(DAVE, other, TaskCreate(title="soon", due_at=_due(2), assignee_id=BOB))
    tasks.create(ALICE, shared, TaskCreate(title="not bob's", due_at=_due(1)))
    tasks.create(ALICE, shared, TaskCreate(title="carol's", due_at=_due(1), assignee_id=CAROL))
    assert [t.id for t in tasks.assigned(BOB, 50, None).items] == [soon.id, late.id, undated.id]
    # One page at a time, with cursors.
    seen, cursor = [], None
    for _ in range(5):
        page = tasks.assigned(BOB, 1, cursor)
        seen += [t.id for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [soon.id, late.id, undated.id]
    assert tasks.assigned(DAVE, 50, None).items == []


def test_assignment_index_follows_every_change(tasks: TaskService, shared: str) -> None:
    a = tasks.create(ALICE, shared, TaskCreate(title="a", due_at=_due(5), assignee_id=BOB))
    b = tasks.create(ALICE, shared, TaskCreate(title="b", due_at=_due(6)))

    def bobs() -> list[str]:
        return [t.id for t in tasks.assigned(BOB, 50, None).items]

    tasks.update(ALICE, b.id, TaskPatch(assignee_id=BOB), None)
    assert bobs() == [a.id, b.id]
    tasks.update(ALICE, b.id, TaskPatch.model_validate({"due_at": "2025-04-01T00:00:00Z"}), None)
    assert bobs() == [b.id, a.id]
    tasks.update(ALICE, a.id, TaskPatch.model_validate({"due_at": None}), None)
    assert bobs() == [b.id, a.id]
    # Assign and move the due date in one change.
    tasks.update(
        ALICE, a.id, TaskPatch.model_validate({"assignee_id": CAROL, "due_at": None}), None
    )
    assert bobs() == [b.id]
    assert [t.id for t in tasks.assigned(CAROL, 50, None).items] == [a.id]
    tasks.update(ALICE, b.id, TaskPatch.model_validate({"assignee_id": None}), None)
    assert bobs() == []
    unassigned = tasks.get(ALICE, b.id)
    assert (unassigned.assignee_id, unassigned.version) == (None, 4)
    tasks.delete(ALICE, a.id, None)
    assert tasks.assigned(CAROL, 50, None).items == []


def _removed(project_id: str, user_id: str) -> StreamChange:
    image: dict[str, Any] = {"type": "member", "project_id": project_id, "user_id": user_id}
    return StreamChange("e1", "REMOVE", "1", {}, image, None)


def test_a_removed_member_is_unassigned_by_the_stream_consumer(
    fakes: Fakes, tasks: TaskService, members: MemberService, shared: str, clock: Clock
) -> None:
    kept = tasks.create(ALICE, shared, TaskCreate(title="kept", assignee_id=CAROL))
    gone = tasks.create(ALICE, shared, TaskCreate(title="gone", assignee_id=BOB))
    members.remove(BOB, shared, BOB)
    cleanup = MembershipCleanup(fakes.tasks, fakes.comments, clock=clock)
    clock.advance(minutes=1)
    cleanup.handle(_removed(shared, BOB))
    assert tasks.assigned(BOB, 50, None).items == []
    after = tasks.get(ALICE, gone.id)
    assert (after.assignee_id, after.version, after.updated_at) == (
        None,
        2,
        format_time(clock.now),
    )
    assert tasks.get(ALICE, kept.id).assignee_id == CAROL
    cleanup.handle(_removed(shared, BOB))  # a replay changes nothing
    assert tasks.get(ALICE, gone.id).version == 2


def test_a_late_removal_record_spares_a_member_added_again(
    fakes: Fakes, tasks: TaskService, members: MemberService, shared: str
) -> None:
    members.remove(ALICE, shared, BOB)
    fakes.share(shared, BOB, Role.editor)
    task = tasks.create(ALICE, shared, TaskCreate(title="again", assignee_id=BOB))
    MembershipCleanup(fakes.tasks, fakes.comments).handle(_removed(shared, BOB))
    assert [t.id for t in tasks.assigned(BOB, 50, None).items] == [task.id]


def test_a_deleted_projects_tasks_are_left_to_the_purge(
    fakes: Fakes, tasks: TaskService, members: MemberService, shared: str
) -> None:
    tasks.create(ALICE, shared, TaskCreate(title="gone with it", assignee_id=BOB))
    members.remove(BOB, shared, BOB)
    fakes.projects.delete_project(shared, ALICE, {Role.owner}, None, T0)  # no purge yet
    assert fakes.tasks.clear_assignments(shared, BOB, T0) == 0
    # Still assigned (the purge removes it), not listed: Bob is not a member (finding 3).
    stored = [i for i in fakes.table.items.values() if i.get("type") == {"S": "task"}]
    assert [i["assignee_id"]["S"] for i in stored] == [BOB]
    assert tasks.assigned(BOB, 50, None).items == []
