# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""Comments over the api handler, against moto: every route and role, the error paths,
and the DynamoDB requests each takes."""

from __future__ import annotations

import time
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
    reply = api.post(f"/projects/{project}/tasks", {"title": "Discuss"})
    assert reply.status == 201
    task_id: str = reply.body["id"]
    return task_id


def _comments(api: Api, task: str, user: str = OWNER) -> list[str]:
    reply = api.get(f"/tasks/{task}/comments", user=user)
    assert reply.status == 200, reply.body
    return [c["body"] for c in reply.body["items"]]


def test_comment_edit_and_delete(api: Api, task: str) -> None:
    created = api.post(f"/tasks/{task}/comments", {"body": "  Looks good\nto me  "}, user=EDITOR)
    assert created.status == 201, created.body
    comment = created.body
    assert comment == {
        "id": comment["id"],
        "task_id": task,
        "author_id": EDITOR,
        "body": "Looks good\nto me",
        "created_at": comment["created_at"],
        "updated_at": comment["created_at"],
        "version": 1,
    }
    path = f"/tasks/{task}/comments/{comment['id']}"
    assert created.headers["location"] == path
    assert created.headers["etag"] == '"1"'
    for user in (OWNER, EDITOR, VIEWER):
        assert _comments(api, task, user) == ["Looks good\nto me"]

    edited = api.patch(path, {"body": "LGTM"}, user=EDITOR, headers={"If-Match": '"1"'})
    assert (edited.status, edited.body["body"], edited.body["version"]) == (200, "LGTM", 2)
    assert edited.headers["etag"] == '"2"'
    stale = api.patch(path, {"body": "again"}, user=EDITOR, headers={"If-Match": '"1"'})
    assert (stale.status, stale.error_code) == (412, "precondition_failed")
    assert api.delete(path, user=EDITOR, headers={"If-Match": '"1"'}).status == 412
    assert api.delete(path, user=EDITOR, headers={"If-Match": '"2"'}).status == 204
    assert _comments(api, task) == []
    assert api.delete(path, user=EDITOR).status == 404


def test_the_owner_deletes_anyones_comment(api: Api, task: str) -> None:
    by_editor = api.post(f"/tasks/{task}/comments", {"body": "mine"}, user=EDITOR).body
    path = f"/tasks/{task}/comments/{by_editor['id']}"
    assert api.patch(path, {"body": "owner edits"}).status == 403  # only its author edits
    assert api.delete(path).status == 204


def test_comments_page_oldest_first(api: Api, task: str) -> None:
    for n in range(3):
        assert api.post(f"/tasks/{task}/comments", {"body": f"c{n}"}).status == 201
        time.sleep(0.002)
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = api.get(f"/tasks/{task}/comments", user=VIEWER, query={"limit": 2, "cursor": cursor})
        assert page.status == 200, page.body
        seen += [c["body"] for c in page.body["items"]]
        cursor = page.body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["c0", "c1", "c2"]


@pytest.mark.parametrize(
    ("caller", "method", "target", "body", "status", "code"),
    [
        (VIEWER, "POST", None, {"body": "viewers read"}, 403, "forbidden"),
        (STRANGER, "POST", None, {"body": "hi"}, 404, "not_found"),
        (STRANGER, "GET", None, None, 404, "not_found"),
        (OWNER, "POST", None, {"body": "   "}, 422, "validation_failed"),
        (OWNER, "POST", None, {"body": "x" * 5001}, 422, "validation_failed"),
        (OWNER, "POST", None, {"body": "bell\u0007"}, 422, "validation_failed"),
        (OWNER, "POST", None, {"body": 5}, 422, "validation_failed"),
        (OWNER, "POST", None, {"body": "ok", "extra": True}, 422, "validation_failed"),
        (OWNER, "POST", None, {}, 422, "validation_failed"),
        (OWNER, "POST", None, [], 422, "validation_failed"),
        (OWNER, "GET", None, None, 200, None),
        (VIEWER, "PATCH", "editor", {"body": "not mine"}, 403, "forbidden"),
        (OWNER, "PATCH", "editor", {"body": "not mine"}, 403, "forbidden"),
        (STRANGER, "PATCH", "editor", {"body": "x"}, 404, "not_found"),
        (EDITOR, "PATCH", "editor", {"body": ""}, 422, "validation_failed"),
        (EDITOR, "PATCH", "01arz3ndektsv4rrffq69g5fav", {"body": "x"}, 404, "not_found"),
        (EDITOR, "PATCH", "nonsense", {"body": "x"}, 404, "not_found"),
        (VIEWER, "DELETE", "editor", None, 403, "forbidden"),
        (STRANGER, "DELETE", "editor", None, 404, "not_found"),
    ],
)
def test_comment_requests_by_role(
    api: Api,
    task: str,
    caller: str,
    method: str,
    target: str | None,
    body: Any,
    status: int,
    code: str | None,
) -> None:
    existing = api.post(f"/tasks/{task}/comments", {"body": "by the editor"}, user=EDITOR).body
    comment = existing["id"] if target == "editor" else target
    path = f"/tasks/{task}/comments" + (f"/{comment}" if comment else "")
    reply = api.call(method, path, user=caller, body=body)
    assert (reply.status, reply.error_code) == (status, code), reply.body
    assert _comments(api, task) == ["by the editor"]


@pytest.mark.parametrize(
    "task_id", ["nonsense", "01arz3ndektsv4rrffq69g5fav-01arz3ndektsv4rrffq69g5fav"]
)
def test_comments_of_unknown_tasks(api: Api, project: str, task_id: str) -> None:
    assert api.post(f"/tasks/{task_id}/comments", {"body": "x"}).status == 404
    assert api.get(f"/tasks/{task_id}/comments").status == 404
    assert api.patch(f"/tasks/{task_id}/comments/{'0' * 26}", {"body": "x"}).status == 404
    assert api.delete(f"/tasks/{task_id}/comments/{'0' * 26}").status == 404


def test_a_deleted_tasks_comments_are_not_reachable(api: Api, task: str) -> None:
    api.post(f"/tasks/{task}/comments", {"body": "x"})
    assert api.delete(f"/tasks/{task}").status == 204
    assert api.get(f"/tasks/{task}/comments").status == 404
    assert api.post(f"/tasks/{task}/comments", {"body": "x"}).status == 404


def test_round_trips_of_comments(api: Api, task: str, aws_calls: AwsCalls) -> None:
    aws_calls.clear()
    created = api.post(f"/tasks/{task}/comments", {"body": "one"}, user=EDITOR)
    assert created.status == 201
    assert (aws_calls.total, dict(aws_calls.operations)) == (1, {"TransactWriteItems": 1})
    for n in range(3):
        api.post(f"/tasks/{task}/comments", {"body": f"more {n}"})
    aws_calls.clear()
    listed = api.get(f"/tasks/{task}/comments", user=VIEWER, query={"limit": 2})
    assert len(listed.body["items"]) == 2
    assert (aws_calls.total, dict(aws_calls.operations)) == (2, {"BatchGetItem": 1, "Query": 1})
    assert aws_calls.scanned <= 3  # limit + 1
    path = f"/tasks/{task}/comments/{created.body['id']}"
    aws_calls.clear()
    assert api.patch(path, {"body": "changed"}, user=EDITOR).status == 200
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1, "BatchGetItem": 1}
    aws_calls.clear()
    assert api.delete(path, user=EDITOR).status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
