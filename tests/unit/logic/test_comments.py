# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""CommentService on the fakes of its ports: who comments, edits and deletes, and paging."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import ValidationError

from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import (
    MAX_COMMENT,
    Comment,
    CommentCreate,
    CommentPatch,
    MemberPatch,
    ProjectCreate,
    Role,
    Task,
    TaskCreate,
    format_time,
)
from tasklane.logic.comments import CommentService
from tasklane.logic.members import MemberService
from tasklane.logic.membership_cleanup import MembershipCleanup
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.stream import StreamChange
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import T0, Clock, Fakes
from tests.unit.logic.test_members import (  # noqa: F401 - fixtures
    ALICE,
    AS_ALICE,
    BOB,
    CAROL,
    DAVE,
    members,
)


@pytest.fixture
def comments(fakes: Fakes, cursors: Cursors, clock: Clock) -> CommentService:
    return CommentService(fakes.comments, cursors, clock=clock)


@pytest.fixture
def task(
    fakes: Fakes, projects: ProjectService, members: MemberService, tasks: TaskService
) -> Task:
    """A task in Alice's project, shared with Bob (editor) and Carol (viewer)."""
    project_id = projects.create(ALICE, ProjectCreate(name="Shared")).id
    fakes.share(project_id, BOB, Role.editor)
    fakes.share(project_id, CAROL, Role.viewer)
    return tasks.create(ALICE, project_id, TaskCreate(title="Discuss"))


def _say(body: str) -> CommentCreate:
    return CommentCreate(body=body)


def test_members_who_write_comment_and_every_member_reads(
    comments: CommentService, task: Task
) -> None:
    by_alice = comments.create(ALICE, task.id, _say("  first\nline two\t "))
    assert by_alice == Comment(
        id=by_alice.id,
        task_id=task.id,
        author_id=ALICE,
        body="first\nline two",
        created_at=format_time(T0),
        updated_at=format_time(T0),
        version=1,
    )
    time.sleep(0.002)  # ids are ULIDs: a later millisecond sorts later
    by_bob = comments.create(BOB, task.id, _say("second"))
    for user in (ALICE, BOB, CAROL):
        assert comments.list(user, task.id, 50, None).items == [by_alice, by_bob]
        assert comments.get(user, task.id, by_bob.id) == by_bob
    with pytest.raises(Forbidden):
        comments.create(CAROL, task.id, _say("viewers read only"))
    for call in (
        lambda: comments.create(DAVE, task.id, _say("stranger")),
        lambda: comments.list(DAVE, task.id, 50, None),
        lambda: comments.get(DAVE, task.id, by_bob.id),
    ):
        with pytest.raises(NotFound):
            call()


def test_comments_need_a_task(comments: CommentService, task: Task, tasks: TaskService) -> None:
    missing = task.id[:-4] + "zzzz"
    for bad in (missing, "not-a-task", f"{task.project_id}-x"):
        with pytest.raises(NotFound):
            comments.create(ALICE, bad, _say("hello"))
        with pytest.raises(NotFound):
            comments.list(ALICE, bad, 50, None)
    with pytest.raises(NotFound):
        comments.get(ALICE, task.id, "not-a-ulid")


def test_the_author_edits_with_versions(comments: CommentService, task: Task, clock: Clock) -> None:
    said = comments.create(BOB, task.id, _say("draft"))
    later = clock.advance(minutes=5)
    edited = comments.update(BOB, task.id, said.id, CommentPatch(body="final"), None)
    assert (edited.body, edited.version, edited.updated_at, edited.created_at) == (
        "final",
        2,
        format_time(later),
        said.created_at,
    )
    with pytest.raises(PreconditionFailed):
        comments.update(BOB, task.id, said.id, CommentPatch(body="stale"), 1)
    assert comments.update(BOB, task.id, said.id, CommentPatch(body="v3"), 2).version == 3
    for user, error in ((ALICE, Forbidden), (CAROL, Forbidden), (DAVE, NotFound)):
        with pytest.raises(error):
            comments.update(user, task.id, said.id, CommentPatch(body="not yours"), None)
    with pytest.raises(NotFound):
        comments.update(BOB, task.id, "0" * 26, CommentPatch(body="gone"), None)
    assert comments.get(ALICE, task.id, said.id).body == "v3"


def test_an_author_made_viewer_can_no_longer_edit(
    comments: CommentService, members: MemberService, task: Task
) -> None:
    said = comments.create(BOB, task.id, _say("mine"))
    members.change_role(ALICE, task.project_id, BOB, MemberPatch(role=Role.viewer))
    with pytest.raises(Forbidden):
        comments.update(BOB, task.id, said.id, CommentPatch(body="edit"), None)
    with pytest.raises(Forbidden):
        comments.delete(BOB, task.id, said.id, None)


def test_the_author_or_the_owner_deletes(comments: CommentService, task: Task) -> None:
    bobs = comments.create(BOB, task.id, _say("bob's"))
    alices = comments.create(ALICE, task.id, _say("alice's"))
    for user, error in ((CAROL, Forbidden), (DAVE, NotFound)):
        with pytest.raises(error):
            comments.delete(user, task.id, bobs.id, None)
    with pytest.raises(Forbidden):
        comments.delete(BOB, task.id, alices.id, None)  # an editor, not its author
    with pytest.raises(PreconditionFailed):
        comments.delete(BOB, task.id, bobs.id, 7)
    comments.delete(ALICE, task.id, bobs.id, 1)  # the owner deletes anyone's
    comments.delete(ALICE, task.id, alices.id, None)
    assert comments.list(ALICE, task.id, 50, None).items == []
    with pytest.raises(NotFound):
        comments.delete(ALICE, task.id, alices.id, None)


def test_comments_page_oldest_first(comments: CommentService, task: Task) -> None:
    written = []
    for n in range(5):
        written.append(comments.create(BOB, task.id, _say(f"c{n}")).id)
        time.sleep(0.002)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = comments.list(CAROL, task.id, 2, cursor)
        assert len(page.items) <= 2
        seen += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == written
    # A cursor is bound to the list it came from.
    first = comments.list(CAROL, task.id, 2, None).next_cursor
    with pytest.raises(Exception, match="cursor"):
        comments.list(BOB, task.id, 2, first)


def test_deleting_a_task_deletes_its_comments_through_the_stream(
    fakes: Fakes, comments: CommentService, tasks: TaskService, task: Task
) -> None:
    other = tasks.create(ALICE, task.project_id, TaskCreate(title="other"))
    kept = comments.create(ALICE, other.id, _say("kept"))
    for n in range(3):
        comments.create(ALICE, task.id, _say(f"c{n}"))
    tasks.delete(ALICE, task.id, None)
    image: dict[str, Any] = {"type": "task", "task_id": task.id, "project_id": task.project_id}
    removed = StreamChange("e1", "REMOVE", "1", {}, image, None)
    MembershipCleanup(fakes.tasks, fakes.comments).handle(removed)
    assert fakes.comments.purge_task_comments(task.id) == 0  # nothing left; a replay is a no-op
    MembershipCleanup(fakes.tasks, fakes.comments).handle(removed)
    assert comments.list(ALICE, other.id, 50, None).items == [kept]


@pytest.mark.parametrize(
    "body",
    ["", "   ", "\n\t", "x" * (MAX_COMMENT + 1), "bell\x07", "nul\x00", "c1\x85"],
)
def test_comment_bodies_that_are_refused(body: str) -> None:
    for model in (CommentCreate, CommentPatch):
        with pytest.raises(ValidationError):
            model.model_validate({"body": body})


def test_comment_bodies_are_trimmed_and_keep_lines() -> None:
    assert CommentCreate(body=" a\r\n\tb ").body == "a\r\n\tb"
    assert len(CommentCreate(body=" " + "y" * MAX_COMMENT + "\n").body) == MAX_COMMENT
    with pytest.raises(ValidationError):
        CommentCreate.model_validate({"body": "ok", "extra": 1})
