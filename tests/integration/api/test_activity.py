# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""The activity history from moto's real stream: recorded once however often and in
whatever order the records come, read newest first by members, limit + 1 items a page."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tasklane.dal.dynamodb.activity import DynamoActivity
from tasklane.local.bootstrap import LocalConfig
from tasklane.logic.activity import ActivityRecorder
from tasklane.logic.stream import change_from_record
from tasklane.wiring.api import ApiContainer
from tests.integration.api.test_members import (  # noqa: F401 - fixtures
    EDITOR,
    OWNER,
    STRANGER,
    VIEWER,
    people,
    project,
)
from tests.integration.conftest import Api, AwsCalls
from tests.integration.support import stream_records


def _history(api: Api, project: str) -> str:
    task: str = api.post(f"/projects/{project}/tasks", {"title": "Draft"}).body["id"]
    assert api.patch(f"/tasks/{task}", {"title": "Final", "priority": "high"}).status == 204
    item = api.post(f"/tasks/{task}/checklist", {"text": "proofread"}, user=EDITOR).body
    assert api.patch(f"/tasks/{task}/checklist/{item['id']}", {"done": True}).status == 204
    assert api.post(f"/tasks/{task}/comments", {"body": "ship it"}, user=EDITOR).status == 201
    assert api.patch(f"/tasks/{task}", {"status": "done"}, user=EDITOR).status == 204
    return task


def _what(api: Api, path: str, user: str = OWNER) -> list[tuple[str, str, str | None]]:
    reply = api.get(path, user=user, query={"limit": 100})
    assert reply.status == 200, reply.body
    return [(e["subject"], e["action"], e["field"]) for e in reply.body["items"]]


@pytest.fixture
def record(api_container: ApiContainer, aws: LocalConfig) -> Any:
    recorder = ActivityRecorder(DynamoActivity(api_container.table))

    def deliver(records: list[dict[str, Any]]) -> None:
        for one in records:
            recorder.handle(change_from_record(one))

    return deliver


def test_recorded_once_newest_first_whatever_the_delivery(
    api: Api, aws: LocalConfig, project: str, record: Any
) -> None:
    task = _history(api, project)
    records = stream_records(aws)
    record(records)
    expected = [
        ("task", "updated", "status"),
        ("comment", "created", None),
        ("task", "updated", "checklist_item"),
        ("task", "updated", "checklist_item"),
        ("task", "updated", "priority"),
        ("task", "updated", "title"),
        ("task", "created", None),
    ]
    assert _what(api, f"/tasks/{task}/activity", user=VIEWER) == expected
    # Replayed, reordered, replayed again: the same entries, in the same order.
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    record(shuffled)
    record(records[: len(records) // 2])
    assert _what(api, f"/tasks/{task}/activity", user=VIEWER) == expected
    feed = _what(api, f"/projects/{project}/activity")
    assert feed[: len(expected)] == expected
    assert ("member", "created", None) in feed  # the editor and viewer were added
    entry = api.get(f"/tasks/{task}/activity").body["items"][0]
    assert (entry["old"], entry["new"], entry["actor_id"]) == ("todo", "done", EDITOR)


def test_members_only(api: Api, aws: LocalConfig, project: str, record: Any) -> None:
    task = _history(api, project)
    record(stream_records(aws))
    assert api.get(f"/tasks/{task}/activity", user=STRANGER).status == 404
    assert api.get(f"/projects/{project}/activity", user=STRANGER).status == 404
    assert api.get("/tasks/nope/activity").status == 404
    assert api.get(f"/projects/{project}/activity", query={"limit": 0}).status == 422
    cursor = api.get(f"/projects/{project}/activity", query={"limit": 1}).body["next_cursor"]
    assert api.get(f"/tasks/{task}/activity", query={"cursor": cursor}).status == 400


def test_a_page_reads_at_most_limit_plus_one(
    api: Api, aws: LocalConfig, project: str, record: Any, aws_calls: AwsCalls
) -> None:
    task = _history(api, project)
    record(stream_records(aws))
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        aws_calls.clear()
        page = api.get(f"/tasks/{task}/activity", query={"limit": 3, "cursor": cursor}).body
        assert dict(aws_calls.operations) == {"GetItem": 1, "Query": 1}
        assert aws_calls.scanned <= 3 + 1
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)
