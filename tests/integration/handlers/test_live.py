"""The live function (tasklane.handlers.live) against moto: records read from the table's
real stream, the real connection store; the Management API replaced by the in-memory poster
(the local stack's socket tests post for real: tests/local/test_runtime_live.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tasklane.domain.models import utc_now
from tasklane.handlers.live import lambda_handler
from tasklane.local.bootstrap import LocalConfig
from tasklane.wiring.live import root
from tests.fakes.live import InMemoryPoster
from tests.integration.conftest import Api
from tests.integration.support import lambda_context, stream_records

pytestmark = pytest.mark.integration


def _deliver(records: list[dict[str, Any]]) -> None:
    assert lambda_handler({"Records": records}, lambda_context("tasklane-live")) == {
        "batchItemFailures": []
    }


def _an_hour_on() -> int:
    """A token expiry an hour from now (epoch seconds)."""
    return int(utc_now().timestamp()) + 3600


def _versions(poster: InMemoryPoster, connection_id: str) -> list[tuple[str, int]]:
    return [
        (change["op"], change["version"])
        for target, data in poster.posts
        if target == connection_id
        for change in json.loads(data)["changes"]
        if change["kind"] == "task"
    ]


def test_replayed_and_reordered_records_never_deliver_an_older_version(
    aws: LocalConfig, api: Api
) -> None:
    project_id = api.post("/projects", {"name": "Live"}).body["id"]
    poster = InMemoryPoster()
    container = root.get()
    container.override(poster=poster)
    container.connections.open_connection("c-a", "user-a", utc_now(), _an_hour_on())
    container.connections.subscribe("c-a", "user-a", project_id, utc_now(), _an_hour_on())
    task = api.post(f"/projects/{project_id}/tasks", {"title": "v1"}).body
    for title in ("v2", "v3"):
        assert api.patch(f"/tasks/{task['id']}", {"title": title}).status == 204
    records = [
        r
        for r in stream_records(aws)
        if r["dynamodb"]["Keys"]["sk"]["S"] == "TASK#" + task["id"].split("-")[1]
    ]
    assert len(records) == 3

    # One batch, reordered with a replay: the newest version only.
    _deliver([records[2], records[0], records[1], records[0]])
    assert _versions(poster, "c-a") == [("updated", 3)]
    # Later batches replaying older records: nothing more.
    _deliver([records[1]])
    _deliver(records[:2])
    assert _versions(poster, "c-a") == [("updated", 3)]
    assert len(poster.posts) == 1


def test_a_gone_connection_is_deleted_with_its_subscriptions(aws: LocalConfig, api: Api) -> None:
    project_id = api.post("/projects", {"name": "Live"}).body["id"]
    poster = InMemoryPoster()
    poster.gone.add("c-gone")
    container = root.get()
    container.override(poster=poster)
    store = container.connections
    for connection_id in ("c-gone", "c-open"):
        store.open_connection(connection_id, "user-a", utc_now(), _an_hour_on())
        store.subscribe(connection_id, "user-a", project_id, utc_now(), _an_hour_on())
    before = len(stream_records(aws))
    api.post(f"/projects/{project_id}/tasks", {"title": "Ship"})

    _deliver(stream_records(aws)[before:])

    assert [target for target, _ in poster.posts] == ["c-open"]
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-open"]
    assert [c.connection_id for c in store.user_connections("user-a")] == ["c-open"]
