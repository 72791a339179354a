# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""Checklists over the api handler, against moto: every route, roles, progress in list
rows, concurrent ticks by two users, and one DynamoDB request per change."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.integration.api.test_members import (  # noqa: F401 - fixtures
    EDITOR,
    OWNER,
    STRANGER,
    VIEWER,
    people,
    project,
)
from tests.integration.conftest import Api, AwsCalls


@pytest.fixture
def task(api: Api, project: str) -> str:
    reply = api.post(f"/projects/{project}/tasks", {"title": "Move house"})
    assert reply.status == 201
    task_id: str = reply.body["id"]
    return task_id


def _items(api: Api, task: str) -> list[tuple[str, bool]]:
    body = api.get(f"/tasks/{task}").body
    return [(i["text"], i["done"]) for i in body["checklist"]]


def _add(api: Api, task: str, text: str, **placement: Any) -> dict[str, Any]:
    reply = api.post(f"/tasks/{task}/checklist", {"text": text, **placement})
    assert reply.status == 201, reply.body
    item: dict[str, Any] = reply.body
    return item


def test_add_place_tick_edit_move_and_remove(api: Api, project: str, task: str) -> None:
    boxes = _add(api, task, "  buy boxes ")
    movers = _add(api, task, "book movers")
    first = _add(api, task, "measure rooms", before=boxes["id"])
    assert _items(api, task) == [
        ("measure rooms", False),
        ("buy boxes", False),
        ("book movers", False),
    ]
    path = f"/tasks/{task}/checklist/{boxes['id']}"
    assert api.patch(path, {"done": True}, user=EDITOR).status == 204
    assert api.patch(path, {"done": True}, user=VIEWER).status == 403
    assert api.patch(path, {"text": "buy 20 boxes", "after": movers["id"]}).status == 204
    assert _items(api, task) == [
        ("measure rooms", False),
        ("book movers", False),
        ("buy 20 boxes", True),
    ]
    ticked = api.get(f"/tasks/{task}").body["checklist"][2]
    assert ticked["done_by"] == EDITOR
    # The list row says how far it is.
    row = next(t for t in api.get(f"/projects/{project}/tasks").body["items"] if t["id"] == task)
    assert row["checklist_progress"] == {"done": 1, "total": 3}
    assert api.delete(f"/tasks/{task}/checklist/{first['id']}").status == 204
    assert api.delete(f"/tasks/{task}/checklist/{first['id']}").status == 404
    assert [text for text, _ in _items(api, task)] == ["book movers", "buy 20 boxes"]


def test_bad_inputs_and_strangers(api: Api, task: str) -> None:
    assert api.post(f"/tasks/{task}/checklist", {"text": ""}).status == 422
    assert api.post(f"/tasks/{task}/checklist", {"text": "x" * 501}).status == 422
    assert api.post(f"/tasks/{task}/checklist", {"text": "a\nb"}).status == 422
    assert api.post(f"/tasks/{task}/checklist", {"text": "a", "position": "?"}).status == 422
    assert api.post(f"/tasks/{task}/checklist", {"text": "a"}, user=STRANGER).status == 404
    item = _add(api, task, "a")
    path = f"/tasks/{task}/checklist/{item['id']}"
    assert api.patch(path, {}).status == 422
    assert api.patch(path, {"done": None}).status == 422
    assert api.patch(path, {"done": True}, user=STRANGER).status == 404
    assert api.patch(f"/tasks/{task}/checklist/{'0' * 26}", {"done": True}).status == 404
    assert api.patch(f"/tasks/{task}/checklist/nope", {"done": True}).status == 404
    # If-Match compares the task's version.
    version = api.get(f"/tasks/{task}").headers["etag"]
    assert api.patch(path, {"done": True}, headers={"If-Match": '"999"'}).status == 412
    assert api.patch(path, {"done": True}, headers={"If-Match": version}).status == 204


def test_an_item_becomes_a_task(api: Api, project: str, task: str) -> None:
    item = _add(api, task, "call the landlord")
    created = api.post(f"/tasks/{task}/checklist/{item['id']}/task", user=EDITOR)
    assert created.status == 201, created.body
    assert created.body["title"] == "call the landlord"
    assert created.body["project_id"] == project
    assert api.get(f"/tasks/{created.body['id']}").status == 200
    assert _items(api, task) == []
    assert api.post(f"/tasks/{task}/checklist/{item['id']}/task").status == 404


def test_two_users_ticking_different_items_at_once(api: Api, task: str) -> None:
    items = [_add(api, task, f"item {n}") for n in range(8)]

    def tick(n: int) -> int:
        path = f"/tasks/{task}/checklist/{items[n]['id']}"
        return api.patch(path, {"done": True}, user=(OWNER, EDITOR)[n % 2]).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(tick, range(8))) == [204] * 8
    body = api.get(f"/tasks/{task}").body
    assert [i["done"] for i in body["checklist"]] == [True] * 8
    assert {i["done_by"] for i in body["checklist"]} == {OWNER, EDITOR}


def test_round_trips_of_checklists(api: Api, task: str, aws_calls: AwsCalls) -> None:
    first = _add(api, task, "first")
    aws_calls.clear()
    second = _add(api, task, "second", position="a5")
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    aws_calls.clear()
    assert api.patch(f"/tasks/{task}/checklist/{first['id']}", {"done": True}).status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    aws_calls.clear()
    moved = api.patch(f"/tasks/{task}/checklist/{first['id']}", {"position": "a9"})
    assert moved.status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    aws_calls.clear()
    assert api.delete(f"/tasks/{task}/checklist/{second['id']}").status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
