"""ProjectService on the fakes of its ports: the Inbox, ownership, preconditions and deletion."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from tasklane.domain.ids import inbox_project_id
from tasklane.domain.models import (
    INBOX_NAME,
    Project,
    ProjectCreate,
    ProjectPatch,
    Role,
    TaskCreate,
    TaskQuery,
    format_time,
)
from tasklane.logic.project_purge import purge_pass
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.fakes.project_purge import InMemoryProjectPurge
from tests.fakes.storage import InMemoryStorage
from tests.unit.conftest import T0, Clock, Fakes

ALICE, BOB = "user-alice", "user-bob"


def _all_projects(projects: ProjectService, user: str, limit: int) -> list[list[Project]]:
    pages: list[list[Project]] = []
    cursor: str | None = None
    while True:
        listing = projects.list(user, limit, cursor)
        pages.append(list(listing.items))
        cursor = listing.next_cursor
        if cursor is None:
            return pages
        assert len(pages) < 50, "the listing does not end"


# The Inbox --------------------------------------------------------------------------------
def test_first_list_creates_the_inbox(projects: ProjectService) -> None:
    listing = projects.list(ALICE, 50, None)
    assert [p.id for p in listing.items] == [inbox_project_id(ALICE)]
    inbox = listing.items[0]
    assert inbox.is_inbox
    assert inbox.name == INBOX_NAME
    assert (inbox.owner_id, inbox.role, inbox.version) == (ALICE, Role.owner, 1)
    assert inbox.created_at == inbox.updated_at == format_time(T0)
    assert listing.next_cursor is None
    # Listing again finds it rather than creating another.
    assert [p.id for p in projects.list(ALICE, 50, None).items] == [inbox.id]


def test_inbox_alias_names_the_callers_inbox(projects: ProjectService) -> None:
    alice = projects.get(ALICE, "inbox")
    bob = projects.get(BOB, "inbox")
    assert (alice.id, bob.id) == (inbox_project_id(ALICE), inbox_project_id(BOB))
    assert alice.is_inbox
    assert bob.is_inbox
    assert projects.get(ALICE, alice.id) == alice
    with pytest.raises(NotFound):
        projects.get(BOB, alice.id)


def test_ensure_inbox_is_idempotent(projects: ProjectService) -> None:
    projects.ensure_inbox(ALICE)
    projects.ensure_inbox(ALICE)
    assert len(projects.list(ALICE, 50, None).items) == 1


@pytest.mark.parametrize("by", ["alias", "id"])
def test_inbox_cannot_be_deleted(projects: ProjectService, tasks: TaskService, by: str) -> None:
    inbox_id = inbox_project_id(ALICE)
    task = tasks.create(ALICE, "inbox", TaskCreate(title="in the inbox"))
    with pytest.raises(Conflict):
        projects.delete(ALICE, "inbox" if by == "alias" else inbox_id, None, force=True)
    assert projects.get(ALICE, inbox_id).is_inbox
    assert tasks.get(ALICE, task.id) == task


# Create, read, list -----------------------------------------------------------------------
def test_create_and_get(projects: ProjectService, clock: Clock) -> None:
    created = projects.create(ALICE, ProjectCreate(name=" Home ", description="chores"))
    assert (created.name, created.description, created.version) == ("Home", "chores", 1)
    assert not created.is_inbox
    assert created.created_at == format_time(clock())
    assert projects.get(ALICE, created.id) == created


@pytest.mark.parametrize("project_id", ["", "not-an-id", "INBOX", "01JQ3V6B8K2M4N5P7R9S0T1W3X"])
def test_get_unknown_or_malformed_id_is_not_found(
    projects: ProjectService, project_id: str
) -> None:
    with pytest.raises(NotFound):
        projects.get(ALICE, project_id)


def test_another_users_project_is_not_found(projects: ProjectService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Private"))
    with pytest.raises(NotFound):
        projects.get(BOB, project.id)
    with pytest.raises(NotFound):
        projects.update(BOB, project.id, ProjectPatch(name="Mine"), None)
    with pytest.raises(NotFound):
        projects.delete(BOB, project.id, None, force=True)
    assert [p.id for p in projects.list(BOB, 50, None).items] == [inbox_project_id(BOB)]
    assert projects.get(ALICE, project.id).name == "Private"


def test_list_is_inbox_first_then_by_id_across_pages(projects: ProjectService) -> None:
    created = [projects.create(ALICE, ProjectCreate(name=f"P{n}")).id for n in range(7)]
    projects.create(BOB, ProjectCreate(name="not Alice's"))
    pages = _all_projects(projects, ALICE, limit=3)
    ids = [p.id for page in pages for p in page]
    assert ids == [inbox_project_id(ALICE), *sorted(created)]
    assert len(pages) >= 3
    assert all(len(page) <= 3 for page in pages)


def test_list_cursor_belongs_to_its_user(projects: ProjectService) -> None:
    for n in range(3):
        projects.create(ALICE, ProjectCreate(name=f"P{n}"))
    cursor = projects.list(ALICE, 1, None).next_cursor
    assert cursor is not None
    with pytest.raises(BadRequest):
        projects.list(BOB, 1, cursor)


def test_shared_project_is_listed_with_the_callers_role(
    fakes: Fakes, projects: ProjectService
) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Team"))
    fakes.share(project.id, BOB, Role.viewer)
    assert projects.get(BOB, project.id).role is Role.viewer
    listed = {p.id: p.role for p in projects.list(BOB, 50, None).items}
    assert listed == {inbox_project_id(BOB): Role.owner, project.id: Role.viewer}


# Update -----------------------------------------------------------------------------------
def test_update_bumps_version_and_time(projects: ProjectService, clock: Clock) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Old", description="keep"))
    later = clock.advance(minutes=5)
    assert projects.update(ALICE, project.id, ProjectPatch(name="New"), None) is None
    updated = projects.get(ALICE, project.id)
    assert (updated.name, updated.description, updated.version) == ("New", "keep", 2)
    assert updated.updated_at == format_time(later)
    assert updated.created_at == project.created_at


def test_update_with_if_match(projects: ProjectService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Old"))
    assert projects.update(ALICE, project.id, ProjectPatch(name="v2"), 1) == 2
    with pytest.raises(PreconditionFailed):
        projects.update(ALICE, project.id, ProjectPatch(name="stale"), 1)
    assert projects.get(ALICE, project.id).name == "v2"
    assert projects.update(ALICE, project.id, ProjectPatch(name="v3"), 2) == 3
    assert projects.get(ALICE, project.id).version == 3


def test_update_inbox_by_alias(projects: ProjectService) -> None:
    projects.ensure_inbox(ALICE)
    projects.update(ALICE, "inbox", ProjectPatch(description="everything else"), None)
    assert projects.get(ALICE, "inbox").description == "everything else"


@pytest.mark.parametrize("body", [{}, {"name": None}, {"description": None}])
def test_update_without_changes_is_refused(
    projects: ProjectService, body: dict[str, object]
) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Same"))
    with pytest.raises(ValidationFailed):
        projects.update(ALICE, project.id, ProjectPatch.model_validate(body), None)
    assert projects.get(ALICE, project.id).version == 1


def test_non_member_with_a_stale_version_is_not_found(projects: ProjectService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Private"))
    with pytest.raises(NotFound):
        projects.update(BOB, project.id, ProjectPatch(name="x"), 99)


@pytest.mark.parametrize("role", [Role.editor, Role.viewer])
def test_only_the_owner_changes_or_deletes_a_project(
    fakes: Fakes, projects: ProjectService, role: Role
) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Team"))
    fakes.share(project.id, BOB, role)
    with pytest.raises(Forbidden):
        projects.update(BOB, project.id, ProjectPatch(name="Mine"), None)
    with pytest.raises(Forbidden):
        projects.delete(BOB, project.id, None, force=True)
    assert projects.get(ALICE, project.id).name == "Team"


# Delete -----------------------------------------------------------------------------------
def test_delete_empty_project(fakes: Fakes, projects: ProjectService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Gone"))
    fakes.share(project.id, BOB, Role.editor)
    projects.delete(ALICE, project.id, None, force=False)
    with pytest.raises(NotFound):
        projects.get(ALICE, project.id)
    assert project.id not in {p.id for p in projects.list(ALICE, 50, None).items}
    # While the purge runs, the owner's repeated delete answers as the first did (issue 14,
    # finding 7); a former member's does not learn the project existed.
    projects.delete(ALICE, project.id, None, force=False)
    projects.delete(ALICE, project.id, 3, force=True)
    with pytest.raises(NotFound):
        projects.delete(BOB, project.id, None, force=True)
    assert purge_pass(InMemoryProjectPurge(fakes.table), InMemoryStorage(), project.id, T0)
    with pytest.raises(NotFound):
        projects.delete(ALICE, project.id, None, force=False)


def test_delete_with_tasks_needs_force(
    fakes: Fakes, projects: ProjectService, tasks: TaskService
) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Busy"))
    task_ids = [tasks.create(ALICE, project.id, TaskCreate(title=f"t{n}")).id for n in range(3)]
    with pytest.raises(Conflict) as exc:
        projects.delete(ALICE, project.id, None, force=False)
    assert exc.value.details == {"force": "set force=true to delete the project with its tasks"}
    assert projects.get(ALICE, project.id).name == "Busy"
    listed = tasks.list(ALICE, project.id, TaskQuery(), None).items
    assert [t.id for t in listed] == sorted(task_ids)

    projects.delete(ALICE, project.id, None, force=True)
    with pytest.raises(NotFound):
        projects.get(ALICE, project.id)
    for task_id in task_ids:
        with pytest.raises(NotFound):
            tasks.get(ALICE, task_id)
    assert fakes.projects.project_has_tasks(project.id)  # left to the purge
    assert purge_pass(InMemoryProjectPurge(fakes.table), InMemoryStorage(), project.id, T0)
    assert not fakes.projects.project_has_tasks(project.id)


def test_force_delete_leaves_other_projects_alone(
    fakes: Fakes, projects: ProjectService, tasks: TaskService
) -> None:
    doomed = projects.create(ALICE, ProjectCreate(name="Doomed"))
    kept = projects.create(ALICE, ProjectCreate(name="Kept"))
    tasks.create(ALICE, doomed.id, TaskCreate(title="goes"))
    survivor = tasks.create(ALICE, kept.id, TaskCreate(title="stays"))
    projects.delete(ALICE, doomed.id, None, force=True)
    assert tasks.get(ALICE, survivor.id) == survivor
    assert fakes.projects.project_has_tasks(kept.id)


def test_delete_with_if_match(projects: ProjectService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Versioned"))
    projects.update(ALICE, project.id, ProjectPatch(name="v2"), None)
    with pytest.raises(PreconditionFailed):
        projects.delete(ALICE, project.id, 1, force=False)
    assert projects.get(ALICE, project.id).version == 2
    projects.delete(ALICE, project.id, 2, force=False)
    with pytest.raises(NotFound):
        projects.get(ALICE, project.id)


def test_stale_force_delete_keeps_the_tasks(projects: ProjectService, tasks: TaskService) -> None:
    project = projects.create(ALICE, ProjectCreate(name="Versioned"))
    task = tasks.create(ALICE, project.id, TaskCreate(title="precious"))
    with pytest.raises(PreconditionFailed):
        projects.delete(ALICE, project.id, 7, force=True)
    assert tasks.get(ALICE, task.id) == task
