"""BoardService and board listings on the fakes: moves between neighbours, with and without
their positions, and the rules a move keeps (roles, versions, neighbours that moved)."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.board import NeighboursMoved, TaskMove, default_position
from tasklane.domain.errors import Forbidden, NotFound, PreconditionFailed, ValidationFailed
from tasklane.domain.ids import new_task_id
from tasklane.domain.models import (
    ProjectCreate,
    Role,
    SortKey,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
)
from tasklane.domain.recurrence import next_task_id
from tasklane.logic.access import TASK_WRITERS
from tasklane.logic.board import BoardService
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.fakes.trash import InMemoryTrash
from tests.unit.conftest import Clock, Fakes
from tests.unit.logic.test_recurrence import _weekly

ALICE, BOB, CAROL = "user-alice", "user-bob", "user-carol"


@pytest.fixture
def board(fakes: Fakes, clock: Clock) -> BoardService:
    return BoardService(fakes.board, fakes.tasks, clock=clock)


@pytest.fixture
def project_id(projects: ProjectService, fakes: Fakes) -> str:
    project_id = projects.create(ALICE, ProjectCreate(name="Board")).id
    fakes.share(project_id, BOB, Role.editor)
    fakes.share(project_id, CAROL, Role.viewer)
    return project_id


def _add(tasks: TaskService, project_id: str, *titles: str, **fields: Any) -> list[Task]:
    return [tasks.create(ALICE, project_id, TaskCreate(title=t, **fields)) for t in titles]


def column(tasks: TaskService, project_id: str, status: Status = Status.todo) -> list[str]:
    query = TaskQuery(sort=SortKey.position, status=status, limit=100)
    return [t.title for t in tasks.list(BOB, project_id, query, None).items]


def _move(status: str = "todo", **fields: Any) -> TaskMove:
    return TaskMove.model_validate({"status": status, **fields})


def _between(after: Task | None, before: Task | None, status: str = "todo") -> TaskMove:
    return _move(
        status,
        after=after.id if after else None,
        before=before.id if before else None,
        after_position=after.position if after else None,
        before_position=before.position if before else None,
    )


def test_new_tasks_go_to_the_end_of_their_column(tasks: TaskService, project_id: str) -> None:
    made = _add(tasks, project_id, "a", "b", "c")
    assert column(tasks, project_id) == ["a", "b", "c"]
    assert all(t.position == default_position(t.id) for t in made)
    assert tasks.get(BOB, made[0].id).position == made[0].position


def test_a_move_between_neighbours_changes_only_the_moved_task(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    a, b, c, d = _add(tasks, project_id, "a", "b", "c", "d")
    moved = board.move(BOB, d.id, _between(a, b), expected_version=1)
    assert (moved.id, moved.status, moved.version) == (d.id, Status.todo, 2)
    assert a.position < moved.position < b.position
    assert column(tasks, project_id) == ["a", "d", "b", "c"]
    for other in (a, b, c):
        assert tasks.get(ALICE, other.id) == other  # untouched: no renumbering
    after = tasks.get(ALICE, d.id)
    assert (after.position, after.version, after.updated_by) == (moved.position, 2, BOB)
    # The top of the column, then the end of another.
    board.move(BOB, c.id, _between(None, a), expected_version=1)
    assert column(tasks, project_id) == ["c", "a", "d", "b"]
    board.move(BOB, a.id, _move("in_progress"), expected_version=1)
    assert column(tasks, project_id) == ["c", "d", "b"]
    assert column(tasks, project_id, Status.in_progress) == ["a"]


def test_neighbours_without_positions_are_read_first(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    a, b, c = _add(tasks, project_id, "a", "b", "c")
    moved = board.move(BOB, c.id, _move(after=a.id, before=b.id), expected_version=None)
    assert moved.version == 2  # read, since no If-Match named it
    assert column(tasks, project_id) == ["a", "c", "b"]
    board.move(BOB, a.id, _move(after=b.id), expected_version=None)
    assert column(tasks, project_id) == ["c", "b", "a"]


def test_moving_to_another_column_completes_and_reopens(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    (a,) = _add(tasks, project_id, "a")
    board.move(BOB, a.id, _move("done"), expected_version=None)
    done = tasks.get(ALICE, a.id)
    assert (done.status, done.completed_at) == (Status.done, done.updated_at)
    board.move(BOB, a.id, _move("in_progress"), expected_version=None)
    assert tasks.get(ALICE, a.id).completed_at is None


def test_a_neighbour_that_moved_is_a_conflict_and_nothing_changes(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    a, b, c = _add(tasks, project_id, "a", "b", "c")
    seen = _between(a, b)
    board.move(ALICE, a.id, _between(b, c), expected_version=1)  # a moves meanwhile
    with pytest.raises(NeighboursMoved):
        board.move(BOB, c.id, seen, expected_version=1)
    tasks.update(ALICE, b.id, TaskPatch(status=Status.done), None)
    with pytest.raises(NeighboursMoved):  # b is in another column now
        board.move(BOB, c.id, _move(after=b.id), expected_version=1)
    tasks.delete(ALICE, b.id, None)
    with pytest.raises(NeighboursMoved):  # deleted
        board.move(BOB, c.id, _move(before=b.id, before_position=b.position), expected_version=1)
    assert tasks.get(ALICE, c.id).version == 1


def test_a_stale_version_is_412_and_without_if_match_the_move_reads_it_again(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    a, b = _add(tasks, project_id, "a", "b")
    tasks.update(ALICE, b.id, TaskPatch(title="b2"), None)
    with pytest.raises(PreconditionFailed):
        board.move(BOB, b.id, _between(None, a), expected_version=1)
    assert board.move(BOB, b.id, _between(None, a), expected_version=2).version == 3
    assert column(tasks, project_id) == ["b2", "a"]


def test_who_may_move(tasks: TaskService, board: BoardService, project_id: str) -> None:
    a, b = _add(tasks, project_id, "a", "b")
    with pytest.raises(Forbidden):
        board.move(CAROL, b.id, _between(None, a), expected_version=1)
    with pytest.raises(Forbidden):
        board.move(CAROL, b.id, _move(before=a.id), expected_version=None)
    for call in (
        lambda: board.move("user-stranger", b.id, _between(None, a), expected_version=1),
        lambda: board.move("user-stranger", b.id, _move(before=a.id), expected_version=None),
        lambda: board.move(BOB, new_task_id(project_id), _move(), expected_version=None),
        lambda: board.move(BOB, "not-a-task", _move(), expected_version=None),
    ):
        with pytest.raises(NotFound):
            call()
    assert column(tasks, project_id) == ["a", "b"]


def test_neighbours_must_be_other_tasks_of_the_project(
    tasks: TaskService, board: BoardService, projects: ProjectService, project_id: str
) -> None:
    (a,) = _add(tasks, project_id, "a")
    elsewhere = projects.create(ALICE, ProjectCreate(name="Other")).id
    (x,) = _add(tasks, elsewhere, "x")
    for move in (_move(after=a.id), _move(before=x.id), _move(after="junk")):
        with pytest.raises(ValidationFailed):
            board.move(ALICE, a.id, move, expected_version=None)


def test_neighbours_that_tie_place_the_task_after_them(
    fakes: Fakes, tasks: TaskService, board: BoardService, project_id: str
) -> None:
    a, b, c, d = _add(tasks, project_id, "a", "b", "c", "d")
    # Two moves into one gap at the same moment compute the same key: b and c tie.
    board.move(ALICE, b.id, _between(None, a), expected_version=1)
    board.move(ALICE, c.id, _between(None, a), expected_version=1)
    tied = [tasks.get(ALICE, t.id) for t in (b, c)]
    assert tied[0].position == tied[1].position
    assert column(tasks, project_id) == ["b", "c", "a", "d"]
    board.move(BOB, d.id, _between(tied[0], tied[1]), expected_version=1)
    assert column(tasks, project_id) == ["b", "c", "d", "a"]


def test_tasks_written_before_positions_existed_join_the_board_on_first_read(
    fakes: Fakes, tasks: TaskService, board: BoardService, project_id: str
) -> None:
    old = _add(tasks, project_id, "old 1", "old 2", "old 3")
    # As an item written before this version: no position, no board keys; nor a marker.
    for task in old:
        item = fakes.table.get(it.task_key(task.id))
        assert item is not None
        for name in ("position", "board_pk", "board_sk"):
            del item[name]
    del fakes.table.items[(it.project_pk(project_id), "PROJECT")][it.BOARD_INDEXED]
    assert tasks.get(ALICE, old[1].id).position == old[1].position  # derived on read
    new = tasks.create(ALICE, project_id, TaskCreate(title="new"))
    # A move before any board read, with the positions the API showed.
    board.move(BOB, old[2].id, _between(None, old[0]), expected_version=1)
    assert column(tasks, project_id) == ["old 3", "old 1", "old 2", "new"]
    item = fakes.table.get(it.task_key(old[0].id))
    assert item is not None
    assert (item["position"]["S"], item["version"]["N"]) == (old[0].position, "1")
    assert it.BOARD_INDEXED in fakes.table.items[(it.project_pk(project_id), "PROJECT")]
    assert new.position is not None


def test_a_status_change_keeps_the_position_in_the_new_column(
    tasks: TaskService, project_id: str
) -> None:
    a, _b, c = _add(tasks, project_id, "a", "b", "c")
    for task in (c, a):
        tasks.update(ALICE, task.id, TaskPatch(status=Status.done), None)
    assert column(tasks, project_id, Status.done) == ["a", "c"]
    assert column(tasks, project_id) == ["b"]


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_board_pages_read_at_most_limit_plus_one_by_key(
    fakes: Fakes, tasks: TaskService, project_id: str, order: str
) -> None:
    for n in range(12):
        status = [Status.todo, Status.in_progress, Status.done][n % 3]
        _add(tasks, project_id, f"t{n}", status=status)
    every: list[str] = []
    for status in (None, Status.done):
        query = TaskQuery(sort=SortKey.position, status=status, limit=3, order=order)
        cursor: str | None = None
        titles: list[str] = []
        while True:
            fakes.table.reads.clear()
            listing = tasks.list(ALICE, project_id, query, cursor)
            assert sum(r.items for r in fakes.table.reads) <= 4
            # A column is read by key: a page is full while the listing goes on.
            assert listing.next_cursor is None or len(listing.items) == 3
            titles += [t.title for t in listing.items]
            cursor = listing.next_cursor
            if cursor is None:
                break
        every.append(",".join(titles))
    columns = {s: [f"t{n}" for n in range(12) if n % 3 == i] for i, s in enumerate("tid")}
    board_order = columns["t"] + columns["i"] + columns["d"]
    if order == "desc":
        board_order.reverse()
        columns["d"].reverse()
    assert every == [",".join(board_order), ",".join(columns["d"])]


def test_a_recurring_task_moved_to_done_is_completed_with_its_next_occurrence(
    fakes: Fakes, tasks: TaskService, board: BoardService, project_id: str
) -> None:
    (finished,) = _add(tasks, project_id, "finished", status=Status.done)
    weekly = _weekly(tasks, project_id)
    moved = board.move(BOB, weekly.id, _between(None, finished, "done"), expected_version=1)
    assert (moved.status, moved.version) == (Status.done, 2)
    assert finished.position is not None
    assert moved.position < finished.position  # where it was dropped
    done = tasks.get(ALICE, weekly.id)
    assert (done.status, done.position, done.version) == (Status.done, moved.position, 2)
    following = tasks.get(ALICE, next_task_id(weekly.id))
    assert (following.status, following.due_at) == (Status.todo, "2025-06-09T07:00:00.000Z")
    assert column(tasks, project_id, Status.done) == ["Water the plants", "finished"]
    assert column(tasks, project_id) == ["Water the plants"]

    # Back to To do and to Done again, without If-Match: no second next occurrence.
    board.move(BOB, weekly.id, _move("todo"), expected_version=None)
    board.move(BOB, weekly.id, _move("done"), expected_version=None)
    assert column(tasks, project_id, Status.done) == ["finished", "Water the plants"]
    assert column(tasks, project_id) == ["Water the plants"]
    assert tasks.get(ALICE, following.id) == following


def test_a_move_to_done_of_a_recurring_task_keeps_the_moves_rules(
    tasks: TaskService, board: BoardService, project_id: str
) -> None:
    weekly = _weekly(tasks, project_id)
    with pytest.raises(PreconditionFailed):
        board.move(BOB, weekly.id, _move("done"), expected_version=7)
    with pytest.raises(Forbidden):
        board.move(CAROL, weekly.id, _move("done"), expected_version=1)
    # Elsewhere than Done it is a plain move; to Done later, the series goes on.
    board.move(BOB, weekly.id, _move("in_progress"), expected_version=1)
    assert column(tasks, project_id) == []
    board.move(BOB, weekly.id, _move("done"), expected_version=2)
    assert column(tasks, project_id) == ["Water the plants"]
    assert tasks.get(ALICE, next_task_id(weekly.id)).status is Status.todo


def test_a_task_in_the_trash_is_not_moved(
    fakes: Fakes, tasks: TaskService, board: BoardService, project_id: str, clock: Clock
) -> None:
    a, b = _add(tasks, project_id, "a", "b")
    InMemoryTrash(fakes.table).trash_task(b.id, ALICE, TASK_WRITERS, None, clock(), 30)
    for version in (None, 2):
        with pytest.raises(NotFound):
            board.move(BOB, b.id, _move("done"), expected_version=version)
    assert column(tasks, project_id, Status.done) == []
    assert tasks.get(ALICE, a.id) == a
