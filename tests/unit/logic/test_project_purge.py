"""The purge of a deleted project (logic/project_purge.py) on the fakes: passes, a crash
midway and its resumption, the stream consumer and the sweeper's part."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasklane.dal.dynamodb import items as it
from tasklane.domain.models import ProjectCreate, Role, TaskCreate
from tasklane.domain.project_purge import STALLED_AFTER
from tasklane.logic.project_purge import ProjectPurge, purge_pass, resume_stalled
from tasklane.logic.projects import ProjectService
from tasklane.logic.stream import StreamChange
from tasklane.logic.tasks import TaskService
from tests.fakes.project_purge import InMemoryProjectPurge
from tests.fakes.storage import InMemoryStorage
from tests.unit.conftest import T0, Fakes

ALICE, BOB = "user-alice", "user-bob"


class Crashing(InMemoryProjectPurge):
    """Dies on its ``fail_at``-th batch, as a timed-out or throttled pass would."""

    def __init__(self, fakes: Fakes, fail_at: int) -> None:
        super().__init__(fakes.table)
        self.batches = 0
        self.fail_at = fail_at

    def delete_items(self, project_id: str, sort_keys: list[str]) -> int:
        self.batches += 1
        if self.batches == self.fail_at:
            raise RuntimeError("timed out")
        return super().delete_items(project_id, sort_keys)


def _deleted_project(
    fakes: Fakes, projects: ProjectService, tasks: TaskService, n_tasks: int
) -> str:
    project = projects.create(ALICE, ProjectCreate(name="Doomed"))
    fakes.share(project.id, BOB, Role.editor)
    for n in range(n_tasks):
        tasks.create(ALICE, project.id, TaskCreate(title=f"t{n}"))
    projects.delete(ALICE, project.id, None, force=True)
    return project.id


def _left(fakes: Fakes, project_id: str) -> set[str]:
    pk = it.project_pk(project_id)
    return {sk for p, sk in fakes.table.items if p == pk}


def _marked(fakes: Fakes, project_id: str) -> StreamChange:
    item = fakes.table.get(it.project_key(project_id))
    assert item is not None
    image = it.deserialize(item)
    return StreamChange("e1", "MODIFY", "1", {"pk": image["pk"], "sk": "PROJECT"}, image, image)


def test_a_pass_stops_at_its_budget_and_asks_for_the_next(
    fakes: Fakes, projects: ProjectService, tasks: TaskService
) -> None:
    project_id = _deleted_project(fakes, projects, tasks, 60)
    store, storage = InMemoryProjectPurge(fakes.table), InMemoryStorage()
    assert not purge_pass(store, storage, project_id, T0, max_items=25)
    assert len(_left(fakes, project_id)) == 60 + 1 - 25  # the tasks and the project item
    item = fakes.table.get(it.project_key(project_id))
    assert item is not None
    assert item["purge_passes"] == {"N": "1"}  # the touch: the next record, the next pass
    assert not purge_pass(store, storage, project_id, T0, max_items=25)
    assert purge_pass(store, storage, project_id, T0, max_items=25)
    assert _left(fakes, project_id) == set()


def test_a_crash_after_the_first_batch_is_resumed_by_the_redelivery(
    fakes: Fakes, projects: ProjectService, tasks: TaskService
) -> None:
    project_id = _deleted_project(fakes, projects, tasks, 40)
    storage = InMemoryStorage()
    storage.upload(f"attachments/{project_id}/01jtask/01jatt", b"x", "text/plain")
    storage.upload("attachments/01jotherproject/01jtask/01jatt", b"y", "text/plain")
    crashing = Crashing(fakes, fail_at=2)
    consumer = ProjectPurge(crashing, storage, clock=lambda: T0)
    change = _marked(fakes, project_id)
    with pytest.raises(RuntimeError):
        consumer.handle(change)
    left = _left(fakes, project_id)
    assert len(left) == 40 + 1 - 25  # the first batch went, the project item is there
    assert "PROJECT" in left
    assert len(storage.objects) == 2  # the objects wait for the end
    consumer.handle(change)  # the stream delivers the record again
    assert _left(fakes, project_id) == set()
    assert list(storage.objects) == ["attachments/01jotherproject/01jtask/01jatt"]
    consumer.handle(change)  # and once more: nothing left to do, nothing fails
    assert crashing.batches == 3


def test_the_consumer_ignores_everything_but_a_marked_project(fakes: Fakes) -> None:
    store = Crashing(fakes, fail_at=1)  # any batch would fail the test
    consumer = ProjectPurge(store, InMemoryStorage())
    live = {"type": "project", "project_id": "p1", "version": 2}
    task = {"type": "task", "project_id": "p1", "deleted_at": "2025-01-01T00:00:00Z"}
    for change in (
        StreamChange("e", "MODIFY", "1", {}, live, live),
        StreamChange("e", "MODIFY", "1", {}, task, task),
        StreamChange("e", "REMOVE", "1", {}, live | {"deleted_at": "x"}, None),
    ):
        consumer.handle(change)
    assert store.batches == 0


def test_the_sweeper_resumes_only_stalled_purges(
    fakes: Fakes, projects: ProjectService, tasks: TaskService
) -> None:
    project_id = _deleted_project(fakes, projects, tasks, 1)  # marked at T0 (the clock)
    store = InMemoryProjectPurge(fakes.table)
    assert resume_stalled(store, T0 + STALLED_AFTER - timedelta(seconds=1)) == 0
    assert resume_stalled(store, T0 + STALLED_AFTER + timedelta(seconds=1)) == 1
    item = fakes.table.get(it.project_key(project_id))
    assert item is not None
    assert item["purge_passes"] == {"N": "1"}
    assert resume_stalled(store, T0 + STALLED_AFTER + timedelta(seconds=2)) == 0
