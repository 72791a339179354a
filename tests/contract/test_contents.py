"""The ``ProjectContents`` contract (tasklane.domain.ports.contents), on every implementation."""

from __future__ import annotations

from tasklane.domain.ids import new_ulid
from tasklane.logic.access import OWNERS, TASK_WRITERS

from .conftest import ALICE, BOB, Shared, owner, project, task
from .test_attachments import record
from .test_comments import comment


def test_a_projects_contents_come_one_kind_at_a_time_in_key_order(shared: Shared) -> None:
    backend = shared.backend
    tasks, comments, attachments = backend.tasks(), backend.comments(), backend.attachments()
    made = [task(shared.project.id, title=f"task {n}") for n in range(3)]
    for item in made:
        tasks.create_task(item, ALICE, TASK_WRITERS)
    # Comments written out of task order come back by task, then oldest first.
    notes = [comment(made[2].id, BOB), comment(made[0].id, ALICE), comment(made[0].id, BOB)]
    for note in notes:
        comments.create_comment(note, note.author_id, TASK_WRITERS)
    files = [record(made[1].id), record(made[0].id)]
    for file in files:
        attachments.create_attachment(file, ALICE, TASK_WRITERS, 20)

    contents = backend.contents()
    listed = list(contents.tasks(shared.project.id))
    assert [t.id for t in listed] == [t.id for t in made]
    assert [t.title for t in listed] == ["task 0", "task 1", "task 2"]
    assert [c.id for c in contents.comments(shared.project.id)] == [
        notes[1].id,
        notes[2].id,
        notes[0].id,
    ]
    assert [(a.attachment.id, a.project_id) for a in contents.attachments(shared.project.id)] == [
        (files[1].attachment.id, shared.project.id),
        (files[0].attachment.id, shared.project.id),
    ]


def test_another_projects_contents_stay_out(shared: Shared) -> None:
    backend = shared.backend
    other = project(BOB, "Elsewhere")
    backend.projects().create_project(other, owner(BOB))
    mine = task(shared.project.id)
    backend.tasks().create_task(mine, ALICE, TASK_WRITERS)
    backend.tasks().create_task(task(other.id, by=BOB), BOB, OWNERS)
    contents = backend.contents()
    assert [t.id for t in contents.tasks(shared.project.id)] == [mine.id]
    assert list(contents.comments(shared.project.id)) == []
    assert list(contents.attachments(shared.project.id)) == []
    assert list(contents.tasks(new_ulid())) == []
