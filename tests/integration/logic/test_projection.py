"""The projection, fed from moto's real stream through the events handler."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.lambda_context import new_context
from tasklane.logic.projection import ProjectionConsumer
from tasklane.logic.stream import StreamChange
from tests.integration.conftest import Api
from tests.integration.support import (
    drain,
    poller,
    projected_members,
    projected_tasks,
    stream_records,
    table_tasks,
)
from tests.servers import session_database


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Imported on call: Powertools reads its environment on first import (see conftest).
    from tasklane.handlers.events import lambda_handler as handler

    result: dict[str, Any] = handler(event, context)
    return result


def use_consumers(consumers: list[Any]) -> None:
    """The events function with these consumers from now on (a new container)."""
    from tasklane.settings import Settings
    from tasklane.wiring.events import EventsContainer, root

    container = EventsContainer(Settings.from_environment())
    container.override(consumers=consumers)
    root.use(container)


def _context() -> Any:
    return new_context(
        function_name="events",
        region="us-east-1",
        account_id="123456789012",
        memory_mb=512,
        timeout_seconds=60,
    )


def _handle(records: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = lambda_handler({"Records": records}, _context())
    return result


def _history(api: Api) -> None:
    """Creates, updates, deletes: several versions of several tasks, two users."""
    a = api.post("/projects/inbox/tasks", {"title": "Write launch post", "labels": ["blog"]})
    b = api.post("/projects/inbox/tasks", {"title": "Fix login bug", "priority": "high"})
    c = api.post("/projects/inbox/tasks", {"title": "Plan offsite"}, user="user-b")
    assert a.status == b.status == c.status == 201
    for n in range(3):
        assert api.patch(f"/tasks/{a.body['id']}", {"description": f"draft {n}"}).status == 204
    assert api.patch(f"/tasks/{b.body['id']}", {"status": "done"}).status == 204
    assert api.delete(f"/tasks/{c.body['id']}", user="user-b").status == 204
    api.post("/projects/inbox/tasks", {"title": "Book venue"}, user="user-b")


@pytest.fixture
def projection(pg: Engine) -> ProjectionConsumer:
    consumer = ProjectionConsumer(session_database(pg))
    use_consumers([consumer])
    return consumer


def test_poller_and_handler_project_what_dynamodb_holds(
    api: Api, aws: LocalConfig, pg: Engine, projection: ProjectionConsumer
) -> None:
    _history(api)
    assert drain(poller(aws, lambda_handler, batch_size=3)) > 0
    rows = projected_tasks(pg)
    assert {k: v[-1] for k, v in rows.items()} == table_tasks(aws)
    a = next(r for r in rows.values() if r[2] == "Write launch post")
    assert (a[3], a[7], a[8]) == ("draft 2", ["blog"], 4)
    # Every user's Inbox membership came through the stream too.
    assert {(user, role) for _, user, role in projected_members(pg)} == {
        ("user-a", "owner"),
        ("user-b", "owner"),
    }


def test_replaying_everything_changes_nothing(
    api: Api, aws: LocalConfig, pg: Engine, projection: ProjectionConsumer
) -> None:
    _history(api)
    records = stream_records(aws)
    assert _handle(records) == {"batchItemFailures": []}
    once = projected_tasks(pg)
    assert _handle(records) == {"batchItemFailures": []}
    assert _handle(records[: len(records) // 2]) == {"batchItemFailures": []}
    assert projected_tasks(pg) == once
    assert {k: v[-1] for k, v in once.items()} == table_tasks(aws)


@pytest.mark.parametrize("seed", range(6))
def test_any_order_ends_in_dynamodb_state(
    api: Api, aws: LocalConfig, pg: Engine, projection: ProjectionConsumer, seed: int
) -> None:
    _history(api)
    records = stream_records(aws)
    _handle(records)
    expected = projected_tasks(pg)
    expected_members = projected_members(pg)
    with pg.begin() as conn:
        conn.execute(text("TRUNCATE tasks, project_members, projects, tombstones"))

    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    for start in range(0, len(shuffled), 4):
        assert _handle(shuffled[start : start + 4]) == {"batchItemFailures": []}
    assert projected_tasks(pg) == expected
    assert projected_members(pg) == expected_members


def test_remove_deletes_and_a_late_insert_does_not_revive(
    api: Api, aws: LocalConfig, pg: Engine, projection: ProjectionConsumer
) -> None:
    task = api.post("/projects/inbox/tasks", {"title": "short-lived"}).body
    assert api.delete(f"/tasks/{task['id']}", query={"permanent": "true"}).status == 204
    records = stream_records(aws)
    insert = next(r for r in records if r["eventName"] == "INSERT" and "TASK#" in str(r))
    remove = next(r for r in records if r["eventName"] == "REMOVE")
    _handle([insert])
    assert task["id"] in projected_tasks(pg)
    _handle([remove])
    assert task["id"] not in projected_tasks(pg)
    _handle([insert])  # redelivered late
    assert task["id"] not in projected_tasks(pg)


def test_deleting_a_project_removes_its_tasks_and_members(
    api: Api, aws: LocalConfig, pg: Engine, projection: ProjectionConsumer
) -> None:
    project = api.post("/projects", {"name": "Doomed"}).body
    for n in range(3):
        api.post(f"/projects/{project['id']}/tasks", {"title": f"t{n}"})
    api.post("/projects/inbox/tasks", {"title": "keeper"})
    records_before = stream_records(aws)
    _handle(records_before)
    assert len(projected_tasks(pg)) == 4

    assert api.delete(f"/projects/{project['id']}", query={"force": "true"}).status == 204
    after = stream_records(aws)[len(records_before) :]
    # The project's mark alone clears it (issue 14, finding 7): the purge of its items runs
    # later and may stall, the projection must not wait for it.
    project_marked = [
        r
        for r in after
        if r["eventName"] == "MODIFY"
        and r["dynamodb"]["Keys"]["sk"]["S"] == "PROJECT"
        and "deleted_at" in r["dynamodb"]["NewImage"]
    ]
    assert len(project_marked) == 1
    _handle(project_marked)
    assert [r[2] for r in projected_tasks(pg).values()] == ["keeper"]
    assert all(p != project["id"] for p, _, _ in projected_members(pg))
    _handle(after)
    # The project's old records arriving again cannot bring anything back.
    _handle(records_before)
    assert [r[2] for r in projected_tasks(pg).values()] == ["keeper"]
    assert all(p != project["id"] for p, _, _ in projected_members(pg))


class FailOnce:
    """Fails the first delivery of one sequence number."""

    name = "flaky"

    def __init__(self, sequence_number: str) -> None:
        self.target = sequence_number
        self.seen: list[str] = []

    def handle(self, change: StreamChange) -> None:
        self.seen.append(change.sequence_number)
        if change.sequence_number == self.target and self.seen.count(self.target) == 1:
            raise RuntimeError("transient")


def test_a_failing_record_mid_batch_is_the_only_one_reported_and_is_retried(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    _history(api)
    records = stream_records(aws)
    middle = records[len(records) // 2]["dynamodb"]["SequenceNumber"]
    flaky = FailOnce(middle)
    use_consumers([ProjectionConsumer(session_database(pg)), flaky])

    # The handler reports only the failed record ...
    assert _handle(records) == {"batchItemFailures": [{"itemIdentifier": middle}]}
    # ... and the poller delivers again from it (Lambda's checkpoint rule), so it succeeds.
    flaky.seen.clear()
    flaky_twice = FailOnce(middle)
    use_consumers([ProjectionConsumer(session_database(pg)), flaky_twice])
    p = poller(aws, lambda_handler, batch_size=len(records))
    drain(p)
    assert p.stats.failed_records == 1
    assert flaky_twice.seen.count(middle) == 2
    earlier = [
        r["dynamodb"]["SequenceNumber"]
        for r in records
        if int(r["dynamodb"]["SequenceNumber"]) < int(middle)
    ]
    assert all(flaky_twice.seen.count(s) == 1 for s in earlier)
    assert {k: v[-1] for k, v in projected_tasks(pg).items()} == table_tasks(aws)


def test_a_record_that_keeps_failing_is_skipped_after_max_attempts(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    api.post("/projects/inbox/tasks", {"title": "a"})

    class Broken:
        name = "broken"

        def handle(self, change: StreamChange) -> None:
            if change.item_type == "task":
                raise RuntimeError("always")

    use_consumers([ProjectionConsumer(session_database(pg)), Broken()])
    p = poller(aws, lambda_handler, max_attempts=3)
    drain(p)
    assert p.stats.skipped_records == 1
    assert p.stats.failed_records == 3
