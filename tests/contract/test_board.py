"""The ``BoardStore`` contract (tasklane.domain.ports.board), on every implementation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tasklane.domain.board import NeighboursMoved, Placement, default_position
from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed
from tasklane.domain.ids import new_task_id
from tasklane.domain.models import SortKey, Status, Task, TaskQuery
from tasklane.domain.ports.tasks import NextOccurrenceNeeded
from tasklane.domain.positions import between
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.recurrence import next_occurrence

from .conftest import ALICE, BOB, CAROL, T0, Shared, task
from .test_tasks_recurrence import SERIES

LATER = T0 + timedelta(hours=1)


def _tasks(shared: Shared, *titles: str, **fields: Any) -> list[Task]:
    made = [task(shared.project.id, title, **fields) for title in titles]
    for one in made:
        shared.backend.tasks().create_task(one, ALICE, TASK_WRITERS)
    return made


def _column(shared: Shared, status: Status = Status.todo, **query: Any) -> list[str]:
    board, titles, start = shared.backend.board(), [], None
    listing = TaskQuery(sort=SortKey.position, status=status, limit=100, **query)
    while True:
        page = board.list_board(shared.project.id, CAROL, listing, start)
        titles += [t.title for t in page.items]
        start = page.next_key
        if start is None:
            return titles


def _at(one: Task, position: str, status: Status = Status.todo) -> Placement:
    return Placement(one.id, status, position, one.version)


def test_columns_list_in_position_order_then_id(shared: Shared) -> None:
    a, b, c = _tasks(shared, "a", "b", "c")
    _tasks(shared, "d", status="done")
    assert _column(shared) == ["a", "b", "c"]
    assert _column(shared, Status.done) == ["d"]
    assert _column(shared, Status.in_progress) == []
    assert _column(shared, order="desc") == ["c", "b", "a"]
    whole = shared.backend.board().list_board(
        shared.project.id, BOB, TaskQuery(sort=SortKey.position, limit=100), None
    )
    assert [t.title for t in whole.items] == ["a", "b", "c", "d"]
    assert [t.position for t in whole.items[:3]] == [default_position(t.id) for t in (a, b, c)]
    with pytest.raises(NotFound):
        shared.backend.board().list_board(
            shared.project.id, "user-stranger", TaskQuery(sort=SortKey.position), None
        )


def test_pages_walk_every_column_and_filters_apply(shared: Shared) -> None:
    for status in ("todo", "in_progress", "done"):
        _tasks(shared, f"{status} 1", f"{status} 2", status=status, priority="high")
    _tasks(shared, "low", priority="low")
    board, start, pages = shared.backend.board(), None, []
    query = TaskQuery(sort=SortKey.position, limit=2)
    while True:
        page = board.list_board(shared.project.id, ALICE, query, start)
        pages.append([t.title for t in page.items])
        start = page.next_key
        if start is None:
            break
    flat = [title for page in pages for title in page]
    assert flat == ["todo 1", "todo 2", "low", "in_progress 1", "in_progress 2", "done 1", "done 2"]
    assert all(len(page) == 2 for page in pages[:3])
    assert _column(shared, priority="low") == ["low"]


def test_a_move_writes_the_task_between_neighbours_still_there(shared: Shared) -> None:
    a, b, c = _tasks(shared, "a", "b", "c")
    board = shared.backend.board()
    pa, pb = default_position(a.id), default_position(b.id)
    key = between(pa, pb)
    target = Placement(c.id, Status.todo, key, 0)
    board.move_task(target, BOB, TASK_WRITERS, [_at(a, pa), _at(b, pb)], 1, LATER)
    assert _column(shared) == ["a", "c", "b"]
    moved = shared.backend.tasks().get_task(c.id, ALICE)
    assert moved is not None
    assert (moved.position, moved.version, moved.updated_by) == (key, 2, BOB)
    assert board.placements(shared.project.id, CAROL, [c.id, a.id]) == {
        c.id: Placement(c.id, Status.todo, key, 2),
        a.id: Placement(a.id, Status.todo, pa, 1),
    }
    # To another column, done: completed; back: reopened.
    board.move_task(Placement(c.id, Status.done, key, 0), BOB, TASK_WRITERS, [], None, LATER)
    done = shared.backend.tasks().get_task(c.id, ALICE)
    assert done is not None
    assert (done.status, done.completed_at, _column(shared)) == (
        Status.done,
        done.updated_at,
        ["a", "b"],
    )
    board.move_task(Placement(c.id, Status.todo, key, 0), BOB, TASK_WRITERS, [], None, LATER)
    reopened = shared.backend.tasks().get_task(c.id, ALICE)
    assert reopened is not None
    assert reopened.completed_at is None


def test_a_move_is_refused_in_the_adapters_order(shared: Shared) -> None:
    a, b = _tasks(shared, "a", "b")
    board, pa = shared.backend.board(), default_position(a.id)
    here = Placement(b.id, Status.todo, between(None, pa), 0)
    moved_a = _at(a, "a0")  # not where a is
    with pytest.raises(NotFound):
        board.move_task(here, "user-stranger", TASK_WRITERS, [moved_a], 7, LATER)
    with pytest.raises(Forbidden):
        board.move_task(here, CAROL, TASK_WRITERS, [moved_a], 7, LATER)
    with pytest.raises(NeighboursMoved):
        board.move_task(here, BOB, TASK_WRITERS, [moved_a], 7, LATER)
    with pytest.raises(NeighboursMoved):
        board.move_task(here, BOB, TASK_WRITERS, [_at(a, pa, Status.done)], 1, LATER)
    with pytest.raises(PreconditionFailed):
        board.move_task(here, BOB, TASK_WRITERS, [_at(a, pa)], 7, LATER)
    gone = Placement(new_task_id(shared.project.id), Status.todo, "a0", 0)
    with pytest.raises(NotFound):
        board.move_task(gone, BOB, TASK_WRITERS, [_at(a, pa)], None, LATER)
    assert _column(shared) == ["a", "b"]
    assert board.placements(shared.project.id, "user-stranger", [a.id]) is None
    assert board.placements(shared.project.id, BOB, [gone.task_id]) == {}


def test_the_edges_of_a_column(shared: Shared) -> None:
    board, project_id = shared.backend.board(), shared.project.id
    assert board.last_position(project_id, Status.todo) is None
    a, b, c = _tasks(shared, "a", "b", "c")
    pa, pb, pc = (default_position(t.id) for t in (a, b, c))
    assert board.last_position(project_id, Status.todo) == pc
    assert board.position_after(project_id, Status.todo, pa) == pb
    assert board.position_after(project_id, Status.todo, pc) is None
    # b ties with a: the first position past a is c's.
    board.move_task(Placement(b.id, Status.todo, pa, 0), ALICE, TASK_WRITERS, [], None, LATER)
    assert board.position_after(project_id, Status.todo, pa) == pc
    assert board.last_position(project_id, Status.done) is None


def test_a_status_change_keeps_the_position(shared: Shared) -> None:
    a, b = _tasks(shared, "a", "b")
    tasks = shared.backend.tasks()
    tasks.update_task(b.id, ALICE, TASK_WRITERS, {"status": "in_progress"}, None, LATER)
    tasks.update_task(a.id, ALICE, TASK_WRITERS, {"status": "in_progress"}, None, LATER)
    assert _column(shared, Status.in_progress) == ["a", "b"]
    assert _column(shared) == []


def test_tasks_written_before_positions_join_the_board_on_its_first_read(
    shared: Shared,
) -> None:
    old = _tasks(shared, "old 1", "old 2", "old 3")
    shared.backend.forget_board(shared.project.id, [t.id for t in old])
    read = shared.backend.tasks().get_task(old[0].id, ALICE)
    assert read is not None
    assert read.position == default_position(old[0].id)
    # Changed before the first board read: a status change indexes it at its creation key.
    tasks = shared.backend.tasks()
    tasks.update_task(old[2].id, ALICE, TASK_WRITERS, {"status": "done"}, None, LATER)
    # A neighbour that never had a stored position is where its creation key says.
    board = shared.backend.board()
    key = between(None, default_position(old[0].id))
    target = Placement(old[1].id, Status.todo, key, 0)
    board.move_task(target, BOB, TASK_WRITERS, [_at(old[0], default_position(old[0].id))], 1, LATER)
    assert _column(shared) == ["old 2", "old 1"]
    assert _column(shared, Status.done) == ["old 3"]
    again = shared.backend.tasks().get_task(old[0].id, ALICE)
    assert again == read  # indexing changed nothing a client sees, not even the version
    assert _tasks(shared, "new")
    assert _column(shared) == ["old 2", "old 1", "new"]


def test_a_task_in_the_trash_is_not_moved(shared: Shared) -> None:
    a, b = _tasks(shared, "a", "b")
    board = shared.backend.board()
    shared.backend.trash().trash_task(b.id, ALICE, TASK_WRITERS, None, T0, 30)
    # Gone from the placements a move reads, and refused by the move's own write.
    assert board.placements(shared.project.id, BOB, [a.id, b.id]) == {
        a.id: Placement(a.id, Status.todo, default_position(a.id), 1)
    }
    for version in (None, 2):
        with pytest.raises(NotFound):
            board.move_task(
                Placement(b.id, Status.done, "a0", 0), BOB, TASK_WRITERS, [], version, LATER
            )
    # Named as a neighbour with the position it had: as good as moved.
    with pytest.raises(NeighboursMoved):
        board.move_task(
            Placement(a.id, Status.todo, "a0", 0),
            BOB,
            TASK_WRITERS,
            [_at(b, default_position(b.id))],
            1,
            LATER,
        )
    assert _column(shared) == ["a"]
    assert _column(shared, Status.done) == []


def test_a_recurring_task_moved_to_done_is_refused_with_the_task(shared: Shared) -> None:
    tasks, board = shared.backend.tasks(), shared.backend.board()
    (plain,) = _tasks(shared, "plain", status="done")
    made = task(shared.project.id, "weekly", due_at="2025-06-02T07:00:00.000Z", recurrence=SERIES)
    tasks.create_task(made, ALICE, TASK_WRITERS)
    key = between(None, default_position(plain.id))
    to_done = Placement(made.id, Status.done, key, 0)
    # Elsewhere than Done, or with a stale version, it is an ordinary move or refusal.
    with pytest.raises(PreconditionFailed):
        board.move_task(to_done, BOB, TASK_WRITERS, [], 7, LATER)
    with pytest.raises(NextOccurrenceNeeded) as needed:
        board.move_task(
            to_done,
            BOB,
            TASK_WRITERS,
            [_at(plain, default_position(plain.id), Status.done)],
            1,
            LATER,
        )
    assert needed.value.task == made
    assert _column(shared) == ["weekly"]  # nothing written

    # Completed with its next occurrence, at the position it was dropped at.
    following = next_occurrence(made, BOB, LATER)
    assert following is not None
    placed = {"status": "done", "position": key}
    tasks.complete_occurrence(made, BOB, TASK_WRITERS, placed, following, LATER)
    done = tasks.get_task(made.id, ALICE)
    assert done is not None
    assert (done.status, done.position, done.version) == (Status.done, key, 2)
    assert done.completed_at is not None
    assert _column(shared, Status.done) == ["weekly", "plain"]
    # The next one in To do, as a PATCH creates it (where its predecessor was).
    assert _column(shared) == ["weekly"]
    assert tasks.get_task(following.id, ALICE) == following

    # Reopened and moved to Done again: a plain move, its next occurrence exists.
    back = Placement(made.id, Status.todo, key, 0)
    board.move_task(back, BOB, TASK_WRITERS, [], 2, LATER)
    board.move_task(to_done, BOB, TASK_WRITERS, [], 3, LATER)
    assert _column(shared, Status.done) == ["weekly", "plain"]
    assert _column(shared) == ["weekly"]
