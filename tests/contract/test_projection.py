"""The ``ProjectionStore`` and ``ProjectionSource`` contracts
(tasklane.domain.ports.projection), on every implementation: guarded writes, tombstones,
and the items reconcile compares them with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tasklane.domain.models import Role
from tasklane.domain.projection import MemberRow, ProjectRow
from tasklane.logic.access import OWNERS, TASK_WRITERS
from tests.builders import task_row

from .conftest import ALICE, Backend, Shared, task

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_a_row_is_replaced_only_by_a_newer_version(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        db = tx.projection
        assert db.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 2))
        assert not db.upsert_project(ProjectRow("p1", "Old name", False, "user-ada", 1))
        assert db.upsert_task(task_row(version=2, title="v2"))
        assert not db.upsert_task(task_row(version=2, title="replayed"))
        assert not db.upsert_task(task_row(version=1, title="late"))
        assert db.upsert_task(task_row(version=3, title="v3"))
        snapshot = db.snapshot()
    assert snapshot.tasks == {"t1": 3}
    assert snapshot.projects == {"p1": 2}


def test_a_removed_task_cannot_come_back_but_force_writes_it(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        db = tx.projection
        db.upsert_task(task_row(version=1))
        db.remove_task("t1", 2)
        assert not db.upsert_task(task_row(version=3))  # a late or replayed record
        assert db.snapshot().tasks == {}
        assert db.upsert_task(task_row(version=3), force=True)  # reconcile --fix
        assert db.snapshot().tasks == {"t1": 3}


def test_memberships_follow_the_stream_order_and_may_come_back(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        db = tx.projection
        assert db.upsert_member(MemberRow("p1", "user-bob", "editor", 10))
        assert not db.upsert_member(MemberRow("p1", "user-bob", "viewer", 9))
        db.remove_member("p1", "user-bob", 8)  # older than the row: the row stays
        assert db.snapshot().members == {("p1", "user-bob"): "editor"}
        db.remove_member("p1", "user-bob", 11)
        assert not db.upsert_member(MemberRow("p1", "user-bob", "editor", 10))  # replayed
        assert db.upsert_member(MemberRow("p1", "user-bob", "viewer", 12))  # shared again
        assert db.snapshot().members == {("p1", "user-bob"): "viewer"}


def test_a_removed_project_takes_its_rows_and_stops_late_ones(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        db = tx.projection
        db.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 1))
        db.upsert_project(ProjectRow("p2", "Other", False, "user-ada", 1))
        db.upsert_member(MemberRow("p1", "user-ada", "owner", 1))
        db.upsert_task(task_row("t1", project_id="p1"))
        db.upsert_task(task_row("t2", project_id="p2"))
        db.remove_project("p1", 2)
        assert not db.upsert_task(task_row("t3", project_id="p1"))
        assert not db.upsert_member(MemberRow("p1", "user-bob", "editor", 5))
        assert not db.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 3))
        snapshot = db.snapshot()
    assert snapshot.projects == {"p2": 1}
    assert snapshot.tasks == {"t2": 1}
    assert snapshot.members == {}


def test_old_tombstones_are_pruned(backend: Backend) -> None:
    database = backend.database()
    with database.transaction() as tx:
        tx.projection.remove_task("t1", 1)
        tx.projection.remove_member("p1", "user-bob", 3)
    with database.transaction() as tx:
        assert tx.projection.prune_tombstones(datetime(2000, 1, 1, tzinfo=UTC)) == 0
        far = datetime.now(UTC) + timedelta(days=3650)
        assert tx.projection.prune_tombstones(far) == 2
        assert tx.projection.upsert_task(task_row(version=1))  # nothing stops it now


def test_the_source_yields_the_projected_items_only(shared: Shared) -> None:
    backend = shared.backend
    made = task(shared.project.id)
    backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    inbox = backend.inbox()
    assert inbox is not None
    backend.projects().update_project(shared.project.id, ALICE, OWNERS, {"name": "n"}, None, NOW)
    items = list(backend.projected_items().projected_items())
    kinds = sorted(str(i["type"]) for i in items)
    assert kinds == ["member", "member", "member", "project", "task"]
    roles = {i["user_id"]: i["role"] for i in items if i["type"] == "member"}
    assert roles == {ALICE: Role.owner.value, "user-bob": "editor", "user-carol": "viewer"}
    (found,) = (i for i in items if i["type"] == "task")
    assert (found["task_id"], int(found["version"])) == (made.id, 1)
