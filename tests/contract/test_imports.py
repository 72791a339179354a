"""The ``ImportSink`` contract (tasklane.domain.ports.imports), on every implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import Conflict, Forbidden, LimitReached, NotFound, ValidationFailed
from tasklane.domain.exchange.model import ImportFormat, import_key
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import Comment, Task
from tasklane.domain.ports.limits import Quota
from tasklane.logic.access import TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, Backend, Shared, owner, project, task
from .test_comments import comment

KEY = import_key(ImportFormat.trello, "board-1")


def _card(n: int) -> str:
    return import_key(ImportFormat.trello, "board-1", f"card-{n}")


def _comments(made: Task, count: int) -> list[Comment]:
    return [comment(made.id, ALICE, f"note {n}") for n in range(count)]


# Projects ------------------------------------------------------------------------------------
def test_a_project_is_created_once_per_key_and_importer(backend: Backend) -> None:
    sink = backend.import_sink()
    first = project(name="Board")
    assert sink.create_project(KEY, first, owner()) == first.id
    # A re-run makes a new project id; the claim answers the first one and writes nothing.
    assert sink.create_project(KEY, project(name="Board"), owner()) == first.id
    assert [p.id for p in backend.projects().list_projects(ALICE, 10, None).items] == [first.id]
    # Another user importing the same file gets a project of their own.
    bobs = project(BOB, "Board")
    assert sink.create_project(KEY, bobs, owner(BOB)) == bobs.id
    made = backend.projects().get_project(first.id, ALICE)
    assert made is not None
    assert made.name == "Board"
    assert backend.projects().get_project(first.id, BOB) is None


def test_a_projects_id_is_never_taken_twice(backend: Backend) -> None:
    sink = backend.import_sink()
    made = project()
    sink.create_project(KEY, made, owner())
    with pytest.raises(Conflict):
        sink.create_project(import_key(ImportFormat.trello, "board-2"), made, owner())


def test_imported_projects_count_against_the_owners_quota(backend: Backend) -> None:
    sink = backend.import_sink()
    quota = Quota("projects", 2)
    sink.create_project(KEY, project(), owner(), quota)
    sink.create_project(import_key(ImportFormat.trello, "board-2"), project(), owner(), quota)
    with pytest.raises(LimitReached):
        sink.create_project(import_key(ImportFormat.trello, "board-3"), project(), owner(), quota)
    # A re-run of an imported board still finds its project at the limit.
    assert sink.create_project(KEY, project(), owner(), quota) != ""
    assert len(backend.projects().list_projects(ALICE, 10, None).items) == 2


# Tasks ---------------------------------------------------------------------------------------
def test_a_task_is_created_once_per_key_in_its_project(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    first = task(shared.project.id, "Card")
    notes = _comments(first, 2)
    assert sink.create_task(_card(1), first, notes, BOB, TASK_WRITERS) == (first.id, True)
    again = task(shared.project.id, "Card")
    assert sink.create_task(_card(1), again, _comments(again, 1), BOB, TASK_WRITERS) == (
        first.id,
        False,
    )
    tasks = shared.backend.tasks()
    assert tasks.get_task(again.id, ALICE) is None
    made = tasks.get_task(first.id, ALICE)
    assert made is not None
    assert made.title == "Card"
    listed = shared.backend.comments().list_comments(first.id, ALICE, 10, None).items
    assert sorted(c.id for c in listed) == sorted(c.id for c in notes)
    # The same key in another project is another task.
    other = project(BOB, "Elsewhere")
    shared.backend.projects().create_project(other, owner(BOB))
    elsewhere = task(other.id, by=BOB)
    assert sink.create_task(_card(1), elsewhere, [], BOB, TASK_WRITERS) == (elsewhere.id, True)


def test_only_writers_import_tasks_and_others_see_no_project(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    with pytest.raises(Forbidden):
        sink.create_task(_card(1), task(shared.project.id), [], CAROL, TASK_WRITERS)
    with pytest.raises(NotFound):
        sink.create_task(_card(1), task(shared.project.id), [], "user-dave", TASK_WRITERS)
    with pytest.raises(NotFound):
        sink.create_task(_card(1), task(new_ulid()), [], ALICE, TASK_WRITERS)
    assert list(shared.backend.contents().tasks(shared.project.id)) == []


def test_an_assignee_must_be_a_member(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    with pytest.raises(ValidationFailed):
        sink.create_task(
            _card(1), task(shared.project.id, assignee_id="user-dave"), [], ALICE, TASK_WRITERS
        )
    assigned = task(shared.project.id, assignee_id=CAROL)
    assert sink.create_task(_card(2), assigned, [], ALICE, TASK_WRITERS) == (assigned.id, True)


def test_imported_tasks_count_against_the_projects_quota(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    quota = Quota("tasks", 2)
    for n in range(2):
        sink.create_task(_card(n), task(shared.project.id), [], ALICE, TASK_WRITERS, quota)
    with pytest.raises(LimitReached):
        sink.create_task(_card(9), task(shared.project.id), [], ALICE, TASK_WRITERS, quota)
    # A re-run skips what exists, at the limit too.
    _, created = sink.create_task(_card(0), task(shared.project.id), [], ALICE, TASK_WRITERS, quota)
    assert created is False
    assert len(list(shared.backend.contents().tasks(shared.project.id))) == 2


def test_a_tasks_id_is_never_taken_twice(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    made = task(shared.project.id)
    sink.create_task(_card(1), made, [], ALICE, TASK_WRITERS)
    with pytest.raises(Conflict):
        sink.create_task(_card(2), made, [], ALICE, TASK_WRITERS)


def test_a_task_takes_at_most_the_transactions_comments(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    made = task(shared.project.id)
    too_many = _comments(made, sink.transaction_comments() + 1)
    with pytest.raises(ValueError, match="at most"):
        sink.create_task(_card(1), made, too_many, ALICE, TASK_WRITERS)
    assert list(shared.backend.contents().tasks(shared.project.id)) == []


# Comments beyond the transaction's ------------------------------------------------------------
def test_further_comments_are_written_once_and_counted(shared: Shared) -> None:
    sink = shared.backend.import_sink()
    made = task(shared.project.id)
    first = _comments(made, 2)
    sink.create_task(_card(1), made, first, ALICE, TASK_WRITERS)
    rest = _comments(made, 3)
    assert sink.add_comments(rest) == 3
    assert sink.add_comments([*rest, *first]) == 0  # a re-run writes none twice
    comments = list(shared.backend.contents().comments(shared.project.id))
    assert len(comments) == 5
    # Counted on the task as the API's comments are: a limit of 5 is reached, of 6 not.
    store = shared.backend.comments()
    with pytest.raises(LimitReached):
        store.create_comment(comment(made.id, ALICE), ALICE, TASK_WRITERS, Quota("comments", 5))
    store.create_comment(comment(made.id, ALICE), ALICE, TASK_WRITERS, Quota("comments", 6))
