"""The ``TrashStore`` contract (tasklane.domain.ports.trash), on every implementation."""

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
from tasklane.domain.models import Role, TaskQuery
from tasklane.domain.ports.limits import Quota
from tasklane.domain.trash import RESTORE_ROLES, ProjectState, check_restore
from tasklane.logic.access import TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Shared, task

LATER = T0 + timedelta(minutes=5)


def _restore(
    shared: Shared,
    task_id: str,
    user: str = ALICE,
    unassign: bool = False,
    quota: Quota | None = None,
) -> None:
    trash = shared.backend.trash()
    view = trash.read_for_restore(task_id, user)
    assert view.role is not None
    changes, conditions = check_restore(
        view.task,
        role=view.role,
        project=view.project,
        assignee_is_member=view.assignee_is_member and not unassign,
        now=LATER,
        unassign=unassign,
    )
    trash.restore_task(task_id, user, RESTORE_ROLES, changes, conditions, LATER, quota)


def test_a_trashed_task_leaves_lists_and_comes_back_whole(shared: Shared) -> None:
    tasks, trash = shared.backend.tasks(), shared.backend.trash()
    made = task(shared.project.id, assignee_id=BOB, due_at="2025-06-01T10:00:00.000Z")
    kept = task(shared.project.id, title="kept")
    tasks.create_task(made, ALICE, TASK_WRITERS)
    tasks.create_task(kept, ALICE, TASK_WRITERS)
    with pytest.raises(PreconditionFailed):
        trash.trash_task(made.id, BOB, TASK_WRITERS, 7, T0, 30)
    with pytest.raises(Forbidden):
        trash.trash_task(made.id, CAROL, TASK_WRITERS, None, T0, 30)
    trash.trash_task(made.id, BOB, TASK_WRITERS, 1, T0, 30)
    with pytest.raises(NotFound):
        trash.trash_task(made.id, BOB, TASK_WRITERS, None, T0, 30)  # in the trash already

    assert tasks.get_task(made.id, ALICE) is None
    listed = tasks.list_tasks(shared.project.id, ALICE, TaskQuery(limit=10), None).items
    assert [t.id for t in listed] == [kept.id]
    assert tasks.list_assigned(BOB, 10, None).items == []
    in_trash = trash.list_trash(shared.project.id, CAROL, 10, None).items
    assert [(t.id, t.deleted_by) for t in in_trash] == [(made.id, BOB)]
    assert in_trash[0].purge_at == "2025-03-31T09:30:15.000Z"
    with pytest.raises(NotFound):
        trash.list_trash(shared.project.id, "user-stranger", 10, None)

    _restore(shared, made.id)
    back = tasks.get_task(made.id, ALICE)
    assert back is not None
    assert (back.version, back.deleted_at, back.assignee_id) == (3, None, BOB)
    assert back.title == made.title
    assert [t.id for t in tasks.list_assigned(BOB, 10, None).items] == [made.id]
    assert trash.list_trash(shared.project.id, ALICE, 10, None).items == []
    with pytest.raises(Conflict):
        _restore(shared, made.id)  # not in the trash any more


def test_the_trash_lists_the_latest_deletion_first(shared: Shared) -> None:
    tasks, trash = shared.backend.tasks(), shared.backend.trash()
    made = [task(shared.project.id, title=f"t{n}") for n in range(3)]
    for n, one in enumerate(made):
        tasks.create_task(one, ALICE, TASK_WRITERS)
        trash.trash_task(one.id, ALICE, TASK_WRITERS, None, T0 + timedelta(seconds=n), 30)
    first = trash.list_trash(shared.project.id, ALICE, 2, None)
    assert [t.title for t in first.items] == ["t2", "t1"]
    assert first.next_key is not None
    rest = trash.list_trash(shared.project.id, ALICE, 2, first.next_key)
    assert [t.title for t in rest.items] == ["t0"]


def test_restore_checks_what_the_read_found(shared: Shared) -> None:
    tasks, trash = shared.backend.tasks(), shared.backend.trash()
    made = task(shared.project.id, assignee_id=CAROL)
    tasks.create_task(made, ALICE, TASK_WRITERS)
    trash.trash_task(made.id, ALICE, TASK_WRITERS, None, T0, 30)
    view = trash.read_for_restore(made.id, CAROL)
    assert (view.role, view.project) == (Role.viewer, ProjectState.active)
    assert trash.read_for_restore(made.id, "user-stranger").task is None
    # The assignee leaves: the write's own check refuses, and says why.
    shared.backend.members().remove_member(shared.project.id, CAROL, CAROL, [Role.viewer])
    with pytest.raises(Conflict) as left:
        _restore(shared, made.id, BOB)
    assert left.value.details["reason"] == "assignee_not_member"
    _restore(shared, made.id, BOB, unassign=True)
    back = tasks.get_task(made.id, ALICE)
    assert back is not None
    assert back.assignee_id is None


def test_tasks_per_project_count_live_tasks(shared: Shared) -> None:
    """Issue 14, finding 6: the project's counter is raised in the create's own transaction,
    lowered by the trash and by a permanent delete of a live task (a trashed one's purge
    frees nothing twice), raised again by a restore, which the limit can refuse."""
    tasks, trash = shared.backend.tasks(), shared.backend.trash()
    quota = Quota("tasks_per_project", 2)
    first, second, third = (task(shared.project.id, title=f"t{n}") for n in range(3))
    tasks.create_task(first, ALICE, TASK_WRITERS, quota)
    tasks.create_task(second, ALICE, TASK_WRITERS, quota)
    with pytest.raises(LimitReached) as refused:
        tasks.create_task(third, ALICE, TASK_WRITERS, quota)
    assert refused.value.details == {"limit": "tasks_per_project", "max": 2}
    assert tasks.get_task(third.id, ALICE) is None  # nothing of it was written

    trash.trash_task(first.id, ALICE, TASK_WRITERS, None, T0, 30)  # frees a place
    tasks.create_task(third, ALICE, TASK_WRITERS, quota)
    with pytest.raises(LimitReached):
        _restore(shared, first.id, quota=quota)  # a restore counts again
    tasks.delete_task(first.id, ALICE, TASK_WRITERS, None)  # purged: frees nothing more
    fourth = task(shared.project.id, title="t4")
    with pytest.raises(LimitReached):
        tasks.create_task(fourth, ALICE, TASK_WRITERS, quota)
    tasks.delete_task(second.id, ALICE, TASK_WRITERS, None)  # a live task: frees a place
    tasks.create_task(fourth, ALICE, TASK_WRITERS, quota)
    assert {t.id for t in tasks.list_tasks(shared.project.id, ALICE, TaskQuery(), None).items} == {
        third.id,
        fourth.id,
    }
