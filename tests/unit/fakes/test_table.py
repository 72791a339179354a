"""The in-memory table itself: the item layout, read counts and DynamoDB's paging quirks.

These look inside ``InMemoryTable``, so they run only against the fakes; the behaviour the
fakes share with the DynamoDB adapters is held to them by ``tests/contract``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tasklane.domain.models import (
    Priority,
    ProjectCreate,
    Role,
    SortKey,
    Status,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
)
from tasklane.logic.access import OWNERS, READERS, TASK_WRITERS
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.unit.conftest import SECRET, T0, Clock, Fakes

ALICE, BOB = "user-alice", "user-bob"


@pytest.fixture
def services(fakes: Fakes, clock: Clock) -> tuple[ProjectService, TaskService]:
    cursors = Cursors(SECRET)
    projects = ProjectService(fakes.projects, cursors, clock=clock)
    return projects, TaskService(fakes.tasks, fakes.board, projects, cursors, clock=clock)


@pytest.fixture
def project_id(services: tuple[ProjectService, TaskService]) -> str:
    return services[0].create(ALICE, ProjectCreate(name="P")).id


def _stored(fakes: Fakes, task_id: str) -> it.Item:
    key = it.task_key(task_id)
    return fakes.table.items[(key["pk"]["S"], key["sk"]["S"])]


# Layout -----------------------------------------------------------------------------------
def test_items_are_in_dynamostores_layout(
    fakes: Fakes, services: tuple[ProjectService, TaskService], project_id: str
) -> None:
    projects, tasks = services
    project = projects.get(ALICE, project_id)
    project_item, member_item = it.project_to_items(project)
    assert fakes.table.items[("PROJECT#" + project_id, "PROJECT")] == project_item
    assert fakes.table.items[("PROJECT#" + project_id, f"MEMBER#{ALICE}")] == member_item
    task = tasks.create(ALICE, project_id, TaskCreate(title="t", labels=["a"]))
    assert _stored(fakes, task.id) == it.task_to_item(task)


@pytest.mark.parametrize(
    "patch",
    [
        {"due_at": "2025-05-01T10:00:00Z"},
        {"due_at": None},
        {"priority": "urgent"},
        {"status": "done"},
        {"status": "todo"},
        {"title": "renamed", "labels": ["x", "y"], "description": "d"},
    ],
)
def test_updates_keep_index_keys_in_step(
    fakes: Fakes,
    services: tuple[ProjectService, TaskService],
    project_id: str,
    patch: dict[str, object],
) -> None:
    _, tasks = services
    data = TaskCreate(title="t", status=Status.done, due_at=datetime(2025, 1, 1, tzinfo=UTC))
    task = tasks.create(ALICE, project_id, data)
    tasks.update(ALICE, task.id, TaskPatch.model_validate(patch), None)
    current = tasks.get(ALICE, task.id)
    # The stored item is exactly what the DynamoDB adapters would write for the task as it is now.
    assert _stored(fakes, task.id) == it.task_to_item(current)


def test_updates_keep_attributes_the_task_model_does_not_have(
    fakes: Fakes, services: tuple[ProjectService, TaskService], project_id: str
) -> None:
    """Like DynamoTasks' UpdateExpression, which sets named attributes only: the attachment
    count and summaries (``att_<id>``) on a task item survive a task update and stay out of
    the task."""
    _, tasks = services
    task = tasks.create(ALICE, project_id, TaskCreate(title="t"))
    extra = {
        "attachment_count": {"N": "1"},
        "att_01jq0000000000000000000001": {"M": {"file_name": {"S": "a.pdf"}}},
    }
    _stored(fakes, task.id).update(extra)
    tasks.update(ALICE, task.id, TaskPatch(title="renamed"), None)
    stored = _stored(fakes, task.id)
    assert {name: stored[name] for name in extra} == extra
    assert tasks.get(ALICE, task.id) == it.task_from_item(stored)
    assert tasks.get(ALICE, task.id).title == "renamed"


# Read counts ------------------------------------------------------------------------------
# (Board order reads the board index, a column by key: tests/unit/logic/test_board.py.)
@pytest.mark.parametrize("sort", [s for s in SortKey if s is not SortKey.position])
@pytest.mark.parametrize("filtered", [False, True])
def test_a_page_reads_at_most_limit_plus_one_items(
    fakes: Fakes,
    services: tuple[ProjectService, TaskService],
    project_id: str,
    sort: SortKey,
    filtered: bool,
) -> None:
    _, tasks = services
    for n in range(11):
        status = Status.done if n % 4 == 0 else Status.todo
        tasks.create(ALICE, project_id, TaskCreate(title=f"t{n}", status=status))
    query = TaskQuery(sort=sort, limit=3, status=Status.done if filtered else None)
    cursor: str | None = None
    fakes.table.reads.clear()
    while True:
        listing = tasks.list(ALICE, project_id, query, cursor)
        cursor = listing.next_cursor
        if cursor is None:
            break
    reads = [r.items for r in fakes.table.reads if r.operation == "list_tasks"]
    assert len(reads) >= 3
    assert max(reads) == 4
    assert all(r <= 4 for r in reads)
    # Every item is read once, except the look-ahead item that ends a full unfiltered page.
    assert sum(reads) >= 11


def test_project_list_reads_at_most_limit_plus_one(
    fakes: Fakes, services: tuple[ProjectService, TaskService]
) -> None:
    projects, _ = services
    projects.list(ALICE, 2, None)  # creates the Inbox: a second Query
    assert [(r.operation, r.items) for r in fakes.table.reads] == [
        ("list_projects", 0),
        ("list_projects", 1),
    ]
    for n in range(6):
        projects.create(ALICE, ProjectCreate(name=f"P{n}"))
    fakes.table.reads.clear()
    projects.list(ALICE, 2, None)
    assert [(r.operation, r.items) for r in fakes.table.reads] == [("list_projects", 3)]


# DynamoDB's paging quirks -----------------------------------------------------------------
def test_filtered_page_that_reads_exactly_the_rest_still_has_a_cursor(
    fakes: Fakes, services: tuple[ProjectService, TaskService], project_id: str
) -> None:
    """Like DynamoDB (unlike moto): a Query that reads ``Limit`` items returns a
    LastEvaluatedKey even when nothing follows, so the last page can be empty."""
    _, tasks = services
    made = sorted(
        (tasks.create(ALICE, project_id, TaskCreate(title=f"t{n}")) for n in range(3)),
        key=lambda t: t.id,
    )
    tasks.update(ALICE, made[0].id, TaskPatch(status=Status.done), None)
    query = TaskQuery(status=Status.done, limit=2)
    first = tasks.list(ALICE, project_id, query, None)
    assert [t.id for t in first.items] == [made[0].id]
    assert first.next_cursor is not None
    last = tasks.list(ALICE, project_id, query, first.next_cursor)
    assert (list(last.items), last.next_cursor) == ([], None)


def test_full_page_ends_at_the_last_item_shown(
    fakes: Fakes, services: tuple[ProjectService, TaskService], project_id: str
) -> None:
    _, tasks = services
    made = sorted(
        (tasks.create(ALICE, project_id, TaskCreate(title=f"t{n}")) for n in range(3)),
        key=lambda t: t.id,
    )
    first = fakes.tasks.list_tasks(project_id, ALICE, TaskQuery(limit=2), None)
    assert [t.id for t in first.items] == [made[0].id, made[1].id]
    assert first.next_key == it.flatten_key(it.task_key(made[1].id))
    second = fakes.tasks.list_tasks(project_id, ALICE, TaskQuery(limit=2), first.next_key)
    assert ([t.id for t in second.items], second.next_key) == ([made[2].id], None)


def test_index_page_keys_carry_the_index_sort_key(
    fakes: Fakes, services: tuple[ProjectService, TaskService], project_id: str
) -> None:
    _, tasks = services
    for n in range(3):
        due = T0 + timedelta(days=n)
        tasks.create(ALICE, project_id, TaskCreate(title=f"t{n}", due_at=due))
    page = fakes.tasks.list_tasks(project_id, ALICE, TaskQuery(sort=SortKey.due, limit=1), None)
    assert page.next_key is not None
    assert set(page.next_key) == {"pk", "sk", "lsi_due_sk"}
    assert page.next_key["lsi_due_sk"] == it.due_sort_key(page.items[0].due_at, page.items[0].id)


# Refusals, in the DynamoDB adapters' order --------------------------------------------------
def _task(fakes: Fakes, project_id: str) -> Task:
    projects = ProjectService(fakes.projects, Cursors(SECRET))
    tasks = TaskService(fakes.tasks, fakes.board, projects, Cursors(SECRET))
    return tasks.create(ALICE, project_id, TaskCreate(title="t", priority=Priority.low))


def test_membership_is_checked_before_the_version(fakes: Fakes, project_id: str) -> None:
    task = _task(fakes, project_id)
    fakes.share(project_id, BOB, Role.viewer)
    now = datetime.now(UTC)
    with pytest.raises(Forbidden):
        fakes.tasks.update_task(task.id, BOB, TASK_WRITERS, {"title": "x"}, 99, now)
    with pytest.raises(NotFound):
        fakes.tasks.update_task(task.id, "stranger", READERS, {"title": "x"}, 99, now)
    with pytest.raises(PreconditionFailed):
        fakes.tasks.update_task(task.id, ALICE, TASK_WRITERS, {"title": "x"}, 99, now)
    with pytest.raises(Forbidden):
        fakes.projects.delete_project(project_id, BOB, OWNERS, 99, now)


def test_duplicates_conflict(fakes: Fakes, project_id: str) -> None:
    task = _task(fakes, project_id)
    with pytest.raises(Conflict):
        fakes.tasks.create_task(task, ALICE, TASK_WRITERS)
    project = ProjectService(fakes.projects, Cursors(SECRET)).get(ALICE, project_id)
    with pytest.raises(Conflict):
        fakes.projects.create_project(project)


def test_deleted_project_hides_its_tasks_until_purged(fakes: Fakes, project_id: str) -> None:
    task = _task(fakes, project_id)
    fakes.share(project_id, BOB, Role.editor)
    fakes.projects.delete_project(project_id, ALICE, OWNERS, None, datetime.now(UTC))
    assert fakes.tasks.get_task(task.id, ALICE) is None
    assert fakes.projects.get_project(project_id, BOB) is None  # every membership is gone
    assert fakes.projects.project_has_tasks(project_id)  # until the purge
    assert fakes.projects.deletion_pending(project_id, ALICE)
    assert not fakes.projects.deletion_pending(project_id, BOB)
    # The project item, its task and the project's counters wait for the purge.
    assert {sk for pk, sk in fakes.table.items if pk == it.project_pk(project_id)} - {
        "COUNTERS"
    } == {"PROJECT", f"TASK#{task.id.split('-')[1]}"}
