"""The ``ProjectStore`` contract (tasklane.domain.ports.projects), on every implementation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.domain.errors import (
    Conflict,
    Forbidden,
    LimitReached,
    NotFound,
    PreconditionFailed,
)
from tasklane.domain.models import Role, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.logic.access import OWNERS, READERS, TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Backend, Shared, owner, project, task


def test_created_projects_are_read_by_members_only(backend: Backend) -> None:
    store = backend.projects()
    work = project()
    store.create_project(work, owner())
    assert store.get_project(work.id, ALICE) == work
    assert store.get_project(work.id, BOB) is None
    assert store.get_project("01jnoneofthisexists0000000", ALICE) is None
    with pytest.raises(Conflict):
        store.create_project(work)


def test_a_member_reads_the_project_with_their_own_role(shared: Shared) -> None:
    store = shared.backend.projects()
    seen = store.get_project(shared.project.id, CAROL)
    assert seen is not None
    assert seen.role is Role.viewer
    assert seen.model_copy(update={"role": Role.owner}) == shared.project


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_the_list_is_the_inbox_first_then_oldest_first_in_pages(
    backend: Backend, limit: int
) -> None:
    store = backend.projects()
    made = [project(name=f"p{n}") for n in range(3)]
    for p in made:
        store.create_project(p)
    inbox = project(inbox=True)
    store.create_project(inbox)
    other = project(BOB)
    store.create_project(other)
    backend.share(other.id, ALICE, Role.viewer)

    seen, start = [], None
    for _ in range(10):
        page = store.list_projects(ALICE, limit, start)
        assert len(page.items) <= limit
        seen += page.items
        start = page.next_key
        if start is None:
            break
    assert seen[0].id == inbox.id
    assert sorted(p.id for p in seen[1:]) == sorted([p.id for p in made] + [other.id])
    assert len({p.id for p in seen}) == len(seen) == 5
    assert {p.id: p.role for p in seen}[other.id] is Role.viewer
    assert store.list_projects(CAROL, 10, None).items == []


def test_updates_apply_the_changes_and_bump_the_version(backend: Backend) -> None:
    store = backend.projects()
    work = project()
    store.create_project(work)
    later = T0 + timedelta(minutes=5)
    store.update_project(work.id, ALICE, OWNERS, {"name": "Renamed"}, 1, later)
    store.update_project(work.id, ALICE, OWNERS, {"description": "more"}, None, later)
    seen = store.get_project(work.id, ALICE)
    assert seen is not None
    assert (seen.name, seen.description, seen.version) == ("Renamed", "more", 3)
    assert seen.updated_at == format_time(later)
    assert seen.created_at == work.created_at


def test_refused_updates_say_why(shared: Shared) -> None:
    store, project_id = shared.backend.projects(), shared.project.id
    with pytest.raises(PreconditionFailed):
        store.update_project(project_id, ALICE, OWNERS, {"name": "x"}, 7, T0)
    with pytest.raises(Forbidden):
        store.update_project(project_id, BOB, OWNERS, {"name": "x"}, None, T0)
    with pytest.raises(NotFound):
        store.update_project(project_id, "user-stranger", OWNERS, {"name": "x"}, None, T0)
    with pytest.raises(NotFound):
        store.update_project("01jnoneofthisexists0000000", ALICE, OWNERS, {"name": "x"}, None, T0)
    seen = store.get_project(project_id, ALICE)
    assert seen is not None
    assert (seen.name, seen.version) == ("Work", 1)


def test_deleting_marks_the_project_and_removes_every_membership_at_once(
    shared: Shared,
) -> None:
    """Issue 14, finding 7: one write, and no former member reaches the project."""
    backend, project_id = shared.backend, shared.project.id
    store, tasks = backend.projects(), backend.tasks()
    assert not store.project_has_tasks(project_id)
    made = task(project_id)
    tasks.create_task(made, ALICE, TASK_WRITERS)
    assert store.project_has_tasks(project_id)
    with pytest.raises(PreconditionFailed):
        store.delete_project(project_id, ALICE, OWNERS, 2, T0)
    with pytest.raises(Forbidden):
        store.delete_project(project_id, BOB, OWNERS, None, T0)
    assert not store.deletion_pending(project_id, ALICE)
    store.delete_project(project_id, ALICE, OWNERS, 1, T0)
    for user in (ALICE, BOB, CAROL):
        assert store.get_project(project_id, user) is None
        assert tasks.get_task(made.id, user) is None
        assert store.list_projects(user, 10, None).items == []
    # Only the owner's repeated delete is recognised; the rest waits for the purge.
    assert store.deletion_pending(project_id, ALICE)
    assert not store.deletion_pending(project_id, BOB)
    assert store.project_has_tasks(project_id)
    with pytest.raises(NotFound):  # a second delete by the store itself: the mark is done
        store.delete_project(project_id, ALICE, OWNERS, None, T0)
    with pytest.raises(NotFound):  # no write gets in: the writer's membership is gone
        tasks.create_task(task(project_id), BOB, TASK_WRITERS)
    assert backend.project_purge().next_sort_keys(project_id, 10) == sorted(
        ["PROJECT", f"TASK#{made.id.split('-')[1]}", *_counters(backend, project_id)]
    )


def _counters(backend: Backend, project_id: str) -> list[str]:
    """The project's counters item, when its adapter keeps one (the fake keeps counts
    elsewhere)."""
    keys = {sk for pk, sk in _partition(backend, project_id)}
    return ["COUNTERS"] if "COUNTERS" in keys else []


def _partition(backend: Backend, project_id: str) -> set[tuple[str, str]]:
    return {(pk, sk) for pk, sk in backend.item_keys() if pk == f"PROJECT#{project_id}"}


def test_the_purge_deletes_memberships_first_and_the_project_item_last(shared: Shared) -> None:
    backend, project_id = shared.backend, shared.project.id
    purge = backend.project_purge()
    tasks = backend.tasks()
    for n in range(3):
        tasks.create_task(task(project_id, title=f"t{n}"), ALICE, TASK_WRITERS)
    # Memberships come first while any is left (one that slipped past the delete).
    assert purge.next_sort_keys(project_id, 2) == [f"MEMBER#{ALICE}", f"MEMBER#{BOB}"]
    assert purge.finish(project_id) is False  # not marked: never deleted
    backend.projects().delete_project(project_id, ALICE, OWNERS, None, T0)
    found = purge.next_sort_keys(project_id, 10)
    assert "PROJECT" in found
    assert not any(sk.startswith("MEMBER#") for sk in found)
    rest = [sk for sk in found if sk != "PROJECT"]
    assert purge.delete_items(project_id, rest) == len(rest)
    assert purge.next_sort_keys(project_id, 10) == ["PROJECT"]
    assert purge.finish(project_id) is True
    assert purge.next_sort_keys(project_id, 10) == []
    assert purge.finish(project_id) is False  # a replay finds nothing
    purge.continue_later(project_id, T0)  # nor does a late touch write anything
    assert _partition(backend, project_id) == set()


def test_stalled_purges_are_listed_by_their_last_pass(backend: Backend) -> None:
    store, purge = backend.projects(), backend.project_purge()
    first, second = project(ALICE, "first"), project(ALICE, "second")
    for made in (first, second):
        store.create_project(made, owner())
    store.delete_project(first.id, ALICE, OWNERS, None, T0)
    store.delete_project(second.id, ALICE, OWNERS, None, T0 + timedelta(minutes=1))
    assert purge.stalled(T0, 10) == []
    assert purge.stalled(T0 + timedelta(minutes=2), 10) == [first.id, second.id]
    purge.continue_later(first.id, T0 + timedelta(minutes=5))  # a pass: no longer stalled
    assert purge.stalled(T0 + timedelta(minutes=2), 10) == [second.id]
    assert purge.stalled(T0 + timedelta(minutes=9), 1) == [second.id]


def test_a_stranger_cannot_delete(shared: Shared) -> None:
    with pytest.raises(NotFound):
        shared.backend.projects().delete_project(shared.project.id, "user-x", READERS, None, T0)


def test_projects_per_owner_are_limited(backend: Backend) -> None:
    """Issue 14, finding 6: the counter is raised in the same transaction as the project."""
    store = backend.projects()
    quota = Quota("projects_per_user", 2)
    made = [project(ALICE, f"p{n}") for n in range(3)]
    store.create_project(made[0], quota=quota)
    store.create_project(made[1], quota=quota)
    with pytest.raises(LimitReached) as refused:
        store.create_project(made[2], quota=quota)
    assert refused.value.details == {"limit": "projects_per_user", "max": 2}
    assert store.get_project(made[2].id, ALICE) is None  # nothing of it was written
    store.create_project(project(BOB, "theirs"), quota=quota)  # counted per owner
    store.delete_project(made[0].id, ALICE, OWNERS, None, T0)  # frees a place
    store.create_project(made[2], quota=quota)
    assert store.get_project(made[2].id, ALICE) is not None
