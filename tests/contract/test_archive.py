"""The ``ArchiveStore`` contract, and what an archived project refuses, on every
implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import Comment, TaskQuery, format_time
from tasklane.logic.access import OWNERS, TASK_WRITERS

from .conftest import ALICE, BOB, T0, Shared, task


def _reason(error: pytest.ExceptionInfo[Conflict]) -> object:
    return error.value.details["reason"]


def test_archive_and_unarchive(shared: Shared) -> None:
    archive, pid = shared.backend.archive(), shared.project.id
    with pytest.raises(Forbidden):
        archive.set_archived(pid, BOB, OWNERS, True, T0)
    with pytest.raises(NotFound):
        archive.set_archived(pid, "user-stranger", OWNERS, True, T0)
    archive.set_archived(pid, ALICE, OWNERS, True, T0)
    read = shared.backend.projects().get_project(pid, BOB)
    assert read is not None
    assert (read.archived_at, read.archived_by, read.version) == (format_time(T0), ALICE, 2)
    with pytest.raises(Conflict) as again:
        archive.set_archived(pid, ALICE, OWNERS, True, T0)
    assert _reason(again) == "already_archived"
    archive.set_archived(pid, ALICE, OWNERS, False, T0)
    back = shared.backend.projects().get_project(pid, ALICE)
    assert back is not None
    assert (back.archived_at, back.version) == (None, 3)
    with pytest.raises(Conflict) as not_archived:
        archive.set_archived(pid, ALICE, OWNERS, False, T0)
    assert _reason(not_archived) == "not_archived"


def test_an_archived_project_takes_no_writes(shared: Shared) -> None:
    backend, pid = shared.backend, shared.project.id
    made = task(pid)
    backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    backend.archive().set_archived(pid, ALICE, OWNERS, True, T0)
    item = ChecklistItem(id=new_ulid().lower(), text="x", position="a0")
    comment = Comment(
        id=new_ulid().lower(),
        task_id=made.id,
        author_id=BOB,
        body="x",
        created_at=format_time(T0),
        updated_at=format_time(T0),
        version=1,
    )
    writes = [
        lambda: backend.tasks().create_task(task(pid), BOB, TASK_WRITERS),
        lambda: backend.tasks().update_task(made.id, BOB, TASK_WRITERS, {"title": "y"}, None, T0),
        lambda: backend.tasks().delete_task(made.id, ALICE, TASK_WRITERS, None),
        lambda: backend.checklists().add_item(made.id, BOB, TASK_WRITERS, item, None, T0),
        lambda: backend.comments().create_comment(comment, BOB, TASK_WRITERS),
        lambda: backend.trash().trash_task(made.id, BOB, TASK_WRITERS, None, T0, 30),
    ]
    for write in writes:
        with pytest.raises(Conflict) as refused:
            write()
        assert _reason(refused) == "project_archived"
    # A stranger still learns nothing: the membership speaks first.
    with pytest.raises(NotFound):
        backend.tasks().create_task(task(pid), "user-stranger", TASK_WRITERS)
    assert [
        t.title for t in backend.tasks().list_tasks(pid, BOB, TaskQuery(limit=10), None).items
    ] == [made.title]
    backend.archive().set_archived(pid, ALICE, OWNERS, False, T0)
    backend.tasks().update_task(made.id, BOB, TASK_WRITERS, {"title": "y"}, None, T0)
