"""Completing recurring tasks over the api handler, against moto and its real stream: one
request when the next occurrence is prepared, two when it is not, and exactly one next
occurrence however many completions race."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tasklane.dal.dynamodb.items import flatten_key, task_key
from tasklane.dal.dynamodb.recurrence import DynamoPreparedOccurrences
from tasklane.domain.recurrence import next_task_id
from tasklane.local.bootstrap import LocalConfig
from tasklane.logic.occurrences import OccurrencePreparation
from tasklane.logic.stream import seen_change
from tasklane.wiring.api import ApiContainer
from tests.integration.conftest import Api, AwsCalls
from tests.integration.support import stream_records

WEEKLY = {
    "title": "Water the plants",
    "due_at": "2027-03-22T09:00:00+01:00",  # a Monday
    "recurrence": "FREQ=WEEKLY;BYDAY=MO",
    "time_zone": "Europe/Berlin",
    "labels": ["home"],
}
RACERS = 20


@pytest.fixture
def project(api: Api) -> str:
    reply = api.post("/projects", {"name": "Chores"})
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


@pytest.fixture
def prepare(api_container: ApiContainer, aws: LocalConfig) -> Any:
    """The stream so far through the preparing consumer (the events function's), as seen."""
    preparation = OccurrencePreparation(DynamoPreparedOccurrences(api_container.table))

    def run() -> list[Any]:
        seen = [seen_change(record) for record in stream_records(aws)]
        changes = [change for change in seen if change is not None]
        for change in changes:
            preparation.handle(change)
        return changes

    return run


def _listed(api: Api, project: str) -> list[dict[str, Any]]:
    reply = api.get(f"/projects/{project}/tasks", query={"limit": 100, "sort": "due"})
    assert reply.status == 200, reply.body
    return list(reply.body["items"])


def test_a_prepared_completion_is_one_request_and_its_reveal_a_creation(
    api: Api, aws_calls: AwsCalls, project: str, prepare: Any
) -> None:
    task = api.post(f"/projects/{project}/tasks", WEEKLY).body
    prepare()
    assert [t["id"] for t in _listed(api, project)] == [task["id"]]  # the copy is hidden

    aws_calls.clear()
    done = api.post(f"/tasks/{task['id']}/recurrence/complete", headers={"If-Match": '"1"'})
    assert done.status == 204, done.body
    assert done.headers["etag"] == '"2"'
    assert (aws_calls.total, dict(aws_calls.operations)) == (1, {"TransactWriteItems": 1})

    listed = _listed(api, project)
    assert [(t["id"], t["status"]) for t in listed] == [
        (task["id"], "done"),
        (next_task_id(task["id"]), "todo"),
    ]
    following = listed[1]
    assert following["due_at"] == "2027-03-29T07:00:00.000Z"  # 09:00 in Berlin, summer time
    assert (following["title"], following["labels"]) == (WEEKLY["title"], ["home"])
    assert following["recurrence"]["number"] == 2
    # The stream shows the reveal as the occurrence's creation, and its preparation not at
    # all; the next one is prepared from it.
    changes = prepare()
    created = [c for c in changes if c.keys == flatten_key(task_key(following["id"]))]
    assert [c.event_name for c in created] == ["INSERT"]
    aws_calls.clear()
    assert api.post(f"/tasks/{following['id']}/recurrence/complete").status == 204
    assert aws_calls.total == 1


def test_an_unprepared_completion_takes_two_and_a_plain_task_completes(
    api: Api, aws_calls: AwsCalls, project: str, prepare: Any
) -> None:
    task = api.post(f"/projects/{project}/tasks", WEEKLY).body
    prepare()
    assert api.patch(f"/tasks/{task['id']}", {"title": "Water the ferns"}).status == 204
    aws_calls.clear()  # the rename has not reached the consumer: the copy is behind
    assert api.post(f"/tasks/{task['id']}/recurrence/complete").status == 204
    assert (aws_calls.total, dict(aws_calls.operations)) == (2, {"TransactWriteItems": 2})
    following = api.get(f"/tasks/{next_task_id(task['id'])}").body
    assert following["title"] == "Water the ferns"

    plain = api.post(f"/projects/{project}/tasks", {"title": "Plain"}).body
    shown = api.post(
        f"/tasks/{plain['id']}/recurrence/complete",
        headers={"Prefer": "return=representation"},
    )
    assert (shown.status, shown.body["status"], shown.headers["etag"]) == (200, "done", '"2"')
    assert api.post("/tasks/nope/recurrence/complete").status == 404
    # Of our form, but no ULID (its first character past 7): no next id to derive, 404.
    beyond = f"{project}-{'z' * 26}"
    assert api.post(f"/tasks/{beyond}/recurrence/complete").status == 404
    assert api.post(f"/tasks/{task['id']}/recurrence/complete", user="user-b").status == 404


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "unprepared"])
def test_twenty_racing_completions_create_one_next_occurrence(
    api: Api, project: str, prepare: Any, prepared: bool
) -> None:
    task = api.post(f"/projects/{project}/tasks", WEEKLY).body
    if prepared:
        prepare()
    start = threading.Barrier(RACERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def complete(n: int) -> None:
        start.wait()
        # Half through the one-request completion, half as a PATCH.
        if n % 2:
            reply = api.post(f"/tasks/{task['id']}/recurrence/complete")
        else:
            reply = api.patch(f"/tasks/{task['id']}", {"status": "done"})
        with lock:
            statuses.append(reply.status)

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {204, 409}, statuses
    assert statuses.count(204) >= 1
    listed = _listed(api, project)
    assert [(t["id"], t["status"]) for t in listed] == [
        (task["id"], "done"),
        (next_task_id(task["id"]), "todo"),
    ]
