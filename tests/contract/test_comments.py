"""The ``CommentStore`` contract (tasklane.domain.ports.comments), on every implementation."""

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
from tasklane.domain.ids import new_ulid
from tasklane.domain.models import Comment, Task, format_time
from tasklane.domain.ports.limits import Quota
from tasklane.logic.access import OWNERS, TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Shared, task


def comment(task_id: str, author: str, body: str = "Looks good") -> Comment:
    stamp = format_time(T0)
    return Comment(
        id=new_ulid(),
        task_id=task_id,
        author_id=author,
        body=body,
        created_at=stamp,
        updated_at=stamp,
        version=1,
    )


@pytest.fixture
def on(shared: Shared) -> Task:
    made = task(shared.project.id)
    shared.backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    return made


def test_writers_comment_on_tasks_that_exist_and_members_read(shared: Shared, on: Task) -> None:
    comments = shared.backend.comments()
    made = comment(on.id, BOB)
    comments.create_comment(made, BOB, TASK_WRITERS)
    assert comments.get_comment(on.id, made.id, CAROL) == made
    assert comments.get_comment(on.id, made.id, "user-stranger") is None
    assert comments.get_comment(on.id, new_ulid(), ALICE) is None
    with pytest.raises(Conflict):
        comments.create_comment(made, BOB, TASK_WRITERS)
    with pytest.raises(Forbidden):
        comments.create_comment(comment(on.id, CAROL), CAROL, TASK_WRITERS)
    with pytest.raises(NotFound):
        comments.create_comment(comment(on.id, "user-x"), "user-x", TASK_WRITERS)
    with pytest.raises(NotFound):
        comments.create_comment(comment(task(shared.project.id).id, BOB), BOB, TASK_WRITERS)


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_the_list_is_oldest_first_in_pages(shared: Shared, on: Task, limit: int) -> None:
    comments = shared.backend.comments()
    made = [comment(on.id, ALICE, f"c{n}") for n in range(4)]
    for c in made:
        comments.create_comment(c, ALICE, TASK_WRITERS)
    other = task(shared.project.id, "other")
    shared.backend.tasks().create_task(other, ALICE, TASK_WRITERS)
    comments.create_comment(comment(other.id, ALICE, "elsewhere"), ALICE, TASK_WRITERS)
    seen, start = [], None
    for _ in range(10):
        page = comments.list_comments(on.id, CAROL, limit, start)
        assert len(page.items) <= limit
        seen += [c.body for c in page.items]
        start = page.next_key
        if start is None:
            break
    assert seen == ["c0", "c1", "c2", "c3"]
    with pytest.raises(NotFound):
        comments.list_comments(on.id, "user-stranger", limit, None)
    with pytest.raises(NotFound):
        comments.list_comments(task(shared.project.id).id, ALICE, limit, None)


def test_only_the_author_edits(shared: Shared, on: Task) -> None:
    comments = shared.backend.comments()
    made = comment(on.id, BOB)
    comments.create_comment(made, BOB, TASK_WRITERS)
    later = T0 + timedelta(minutes=3)
    comments.update_comment(on.id, made.id, BOB, TASK_WRITERS, "Even better", 1, later)
    seen = comments.get_comment(on.id, made.id, ALICE)
    assert seen is not None
    assert (seen.body, seen.version, seen.updated_at) == ("Even better", 2, format_time(later))
    with pytest.raises(PreconditionFailed):
        comments.update_comment(on.id, made.id, BOB, TASK_WRITERS, "x", 1, later)
    with pytest.raises(Forbidden):
        comments.update_comment(on.id, made.id, ALICE, TASK_WRITERS, "x", None, later)
    with pytest.raises(NotFound):
        comments.update_comment(on.id, new_ulid(), BOB, TASK_WRITERS, "x", None, later)


def test_authors_delete_their_own_and_the_owner_anyones(shared: Shared, on: Task) -> None:
    comments = shared.backend.comments()
    bobs, alices = comment(on.id, BOB), comment(on.id, ALICE)
    comments.create_comment(bobs, BOB, TASK_WRITERS)
    comments.create_comment(alices, ALICE, TASK_WRITERS)
    with pytest.raises(Forbidden):
        comments.delete_comment(on.id, alices.id, BOB, TASK_WRITERS, None, any_author=False)
    with pytest.raises(Forbidden):
        comments.delete_comment(on.id, alices.id, BOB, OWNERS, None, any_author=True)
    with pytest.raises(PreconditionFailed):
        comments.delete_comment(on.id, bobs.id, BOB, TASK_WRITERS, 4, any_author=False)
    comments.delete_comment(on.id, bobs.id, ALICE, OWNERS, 1, any_author=True)
    comments.delete_comment(on.id, alices.id, ALICE, TASK_WRITERS, None, any_author=False)
    assert comments.list_comments(on.id, ALICE, 10, None).items == []
    with pytest.raises(NotFound):
        comments.delete_comment(on.id, alices.id, ALICE, OWNERS, None, any_author=True)


def test_a_deleted_tasks_comments_are_purged_once(shared: Shared, on: Task) -> None:
    comments = shared.backend.comments()
    for n in range(3):
        comments.create_comment(comment(on.id, ALICE, f"c{n}"), ALICE, TASK_WRITERS)
    kept = task(shared.project.id, "kept")
    shared.backend.tasks().create_task(kept, ALICE, TASK_WRITERS)
    comments.create_comment(comment(kept.id, ALICE), ALICE, TASK_WRITERS)
    assert comments.purge_task_comments(on.id) == 3
    assert comments.purge_task_comments(on.id) == 0
    assert len(comments.list_comments(kept.id, ALICE, 10, None).items) == 1


def test_comments_per_task_are_limited(shared: Shared, on: Task) -> None:
    """Issue 14, finding 6: the task item counts its comments, in the create's own
    transaction; a deletion frees a place; the count is per task."""
    comments, quota = shared.backend.comments(), Quota("comments_per_task", 2)
    first = comment(on.id, ALICE, "one")
    comments.create_comment(first, ALICE, TASK_WRITERS, quota)
    comments.create_comment(comment(on.id, BOB, "two"), BOB, TASK_WRITERS, quota)
    third = comment(on.id, ALICE, "three")
    with pytest.raises(LimitReached) as refused:
        comments.create_comment(third, ALICE, TASK_WRITERS, quota)
    assert refused.value.details == {"limit": "comments_per_task", "max": 2}
    assert comments.get_comment(on.id, third.id, ALICE) is None  # nothing of it was written
    other = task(shared.project.id, "other")
    shared.backend.tasks().create_task(other, ALICE, TASK_WRITERS)
    comments.create_comment(comment(other.id, ALICE), ALICE, TASK_WRITERS, quota)
    comments.delete_comment(on.id, first.id, ALICE, TASK_WRITERS, None, any_author=False)
    comments.create_comment(third, ALICE, TASK_WRITERS, quota)
    assert [c.body for c in comments.list_comments(on.id, ALICE, 10, None).items] == [
        "two",
        "three",
    ]
    # A task in the trash takes no comment: NotFound before any limit.
    shared.backend.trash().trash_task(on.id, ALICE, TASK_WRITERS, None, T0, 30)
    with pytest.raises(NotFound):
        comments.create_comment(comment(on.id, ALICE), ALICE, TASK_WRITERS, quota)
