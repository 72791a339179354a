"""The prepared next occurrence (tasklane.domain.prepared), fake and DynamoDB agreeing: hidden
from every read and write until completing reveals it in one transaction, refused whenever
it is not a copy of the task as it is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tasklane.domain.errors import NotFound, PreconditionFailed
from tasklane.domain.models import Status, Task, TaskQuery
from tasklane.domain.ports.tasks import NotPrepared
from tasklane.domain.recurrence import Series, next_task_id
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.recurrence import next_occurrence

from .conftest import ALICE, BOB, CAROL, T0, Shared, task

SERIES = Series(
    rule="FREQ=WEEKLY", time_zone="Europe/Berlin", number=1, local_due="2025-06-02T09:00:00"
)
DONE: dict[str, Any] = {"status": "done"}
LATER = T0 + timedelta(hours=2)


def _prepared(shared: Shared, **fields: Any) -> tuple[Task, Task]:
    made = task(shared.project.id, due_at="2025-06-02T07:00:00.000Z", recurrence=SERIES, **fields)
    shared.backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    following = next_occurrence(made, ALICE, T0)
    assert following is not None
    assert shared.backend.prepared().prepare(made, following, T0)
    return made, following


def test_a_prepared_occurrence_is_nowhere_until_revealed(shared: Shared) -> None:
    made, following = _prepared(shared, assignee_id=ALICE)
    tasks, trash = shared.backend.tasks(), shared.backend.trash()
    assert tasks.get_task(following.id, ALICE) is None
    for sort in ("created", "due", "priority"):
        listed = tasks.list_tasks(
            shared.project.id, ALICE, TaskQuery.model_validate({"sort": sort}), None
        )
        assert [t.id for t in listed.items] == [made.id]
    assert [t.id for t in tasks.list_assigned(ALICE, 50, None).items] == [made.id]
    assert trash.list_trash(shared.project.id, ALICE, 50, None).items == []
    assert trash.read_for_restore(following.id, ALICE).task is None
    with pytest.raises(NotFound):
        tasks.update_task(following.id, ALICE, TASK_WRITERS, {"title": "x"}, None, T0)
    with pytest.raises(NotFound):
        tasks.delete_task(following.id, ALICE, TASK_WRITERS, None)


def test_completing_reveals_it_once(shared: Shared) -> None:
    made, following = _prepared(shared, assignee_id=ALICE, labels=["home"])
    tasks = shared.backend.tasks()
    tasks.complete_prepared(made.id, BOB, TASK_WRITERS, DONE, 1, LATER)
    done, shown = tasks.get_task(made.id, ALICE), tasks.get_task(following.id, ALICE)
    assert done is not None
    assert (done.status, done.version, done.updated_by) == (Status.done, 2, BOB)
    stamp = "2025-03-01T11:30:15.123Z"
    assert shown == following.model_copy(
        update={"created_by": BOB, "updated_by": BOB, "created_at": stamp, "updated_at": stamp}
    )
    assert [t.id for t in tasks.list_assigned(ALICE, 50, None).items] == [made.id, following.id]
    # Again: it is done and has its next occurrence.
    with pytest.raises(NotPrepared) as again:
        tasks.complete_prepared(made.id, BOB, TASK_WRITERS, DONE, None, LATER)
    assert again.value.has_next
    assert again.value.task is not None
    assert again.value.task.status is Status.done
    # A later preparation never hides it again.
    assert not shared.backend.prepared().prepare(made, following, LATER)


def test_a_copy_of_an_older_version_is_refused_with_the_task(shared: Shared) -> None:
    made, following = _prepared(shared)
    tasks = shared.backend.tasks()
    tasks.update_task(made.id, ALICE, TASK_WRITERS, {"title": "Renamed"}, None, T0)
    with pytest.raises(NotPrepared) as refused:
        tasks.complete_prepared(made.id, ALICE, TASK_WRITERS, DONE, None, LATER)
    current = refused.value.task
    assert current is not None
    assert (current.title, current.version, refused.value.has_next) == ("Renamed", 2, False)
    # The completion that builds the occurrence writes over the stale copy.
    fresh = next_occurrence(current, ALICE, LATER)
    assert fresh is not None
    tasks.complete_occurrence(current, ALICE, TASK_WRITERS, DONE, fresh, LATER)
    shown = tasks.get_task(following.id, ALICE)
    assert shown is not None
    assert shown.title == "Renamed"
    # A preparation of the old version is refused too.
    assert not shared.backend.prepared().prepare(made, following, LATER)


def test_refusals_name_the_caller_the_version_and_plain_tasks(shared: Shared) -> None:
    made, _following = _prepared(shared)
    tasks = shared.backend.tasks()
    with pytest.raises(NotFound):
        tasks.complete_prepared(made.id, "user-stranger", TASK_WRITERS, DONE, None, LATER)
    with pytest.raises(PreconditionFailed):
        tasks.complete_prepared(made.id, ALICE, TASK_WRITERS, DONE, 7, LATER)
    from tasklane.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        tasks.complete_prepared(made.id, CAROL, TASK_WRITERS, DONE, None, LATER)
    plain = task(shared.project.id, title="Plain")
    tasks.create_task(plain, ALICE, TASK_WRITERS)
    with pytest.raises(NotPrepared) as refused:
        tasks.complete_prepared(plain.id, ALICE, TASK_WRITERS, DONE, None, LATER)
    assert refused.value.task == plain


def test_withdrawing_takes_only_copies_of_that_version_or_older(shared: Shared) -> None:
    made, following = _prepared(shared)
    prepared, tasks = shared.backend.prepared(), shared.backend.tasks()
    prepared.withdraw(made.id, 0)  # an older record: the copy stays
    tasks.complete_prepared(made.id, ALICE, TASK_WRITERS, DONE, None, LATER)
    prepared.withdraw(made.id, 5)  # revealed: not a copy any more
    assert tasks.get_task(following.id, ALICE) is not None

    other, copy = _prepared(shared, title="Other")
    prepared.withdraw(other.id, 1)
    with pytest.raises(NotPrepared) as refused:
        tasks.complete_prepared(other.id, ALICE, TASK_WRITERS, DONE, None, LATER)
    assert refused.value.task is None  # stamped, but the copy is gone
    assert tasks.get_task(copy.id, ALICE) is None
    assert next_task_id(other.id) == copy.id
