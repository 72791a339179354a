# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""Archiving a project over the api handler, against moto: read-only, flagged in the
project list, restorable; one DynamoDB request each way."""

from __future__ import annotations

from tests.integration.api.test_members import (  # noqa: F401 - fixtures
    EDITOR,
    NEWCOMER,
    OWNER,
    STRANGER,
    VIEWER,
    people,
    project,
    share,
)
from tests.integration.conftest import Api, AwsCalls


def _reason(reply: object) -> object:
    body = getattr(reply, "body")  # noqa: B009 - a Reply
    return body["error"]["details"]["reason"]


def test_an_archived_project_is_read_only_until_unarchived(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    task = api.post(f"/projects/{project}/tasks", {"title": "Keep me"}).body
    assert api.post(f"/projects/{project}/archive", user=EDITOR).status == 403
    assert api.post(f"/projects/{project}/archive", user=STRANGER).status == 404
    aws_calls.clear()
    assert api.post(f"/projects/{project}/archive").status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    assert _reason(api.post(f"/projects/{project}/archive")) == "already_archived"
    listed = {p["id"]: p["archived_at"] for p in api.get("/projects").body["items"]}
    assert listed[project] is not None
    # Reads stay; every write answers 409.
    assert api.get(f"/tasks/{task['id']}", user=EDITOR).status == 200
    assert api.get(f"/projects/{project}/tasks", user=EDITOR).status == 200
    refused = [
        api.post(f"/projects/{project}/tasks", {"title": "new"}, user=EDITOR),
        api.patch(f"/tasks/{task['id']}", {"status": "done"}, user=EDITOR),
        api.post(f"/tasks/{task['id']}/checklist", {"text": "x"}, user=EDITOR),
        api.post(f"/tasks/{task['id']}/comments", {"body": "x"}, user=EDITOR),
        api.delete(f"/tasks/{task['id']}", user=EDITOR),
    ]
    assert [(r.status, _reason(r)) for r in refused] == [(409, "project_archived")] * 5
    assert api.post(f"/tasks/{task['id']}/comments", {"body": "x"}, user=STRANGER).status == 404

    assert api.post(f"/projects/{project}/unarchive").status == 204
    assert _reason(api.post(f"/projects/{project}/unarchive")) == "not_archived"
    assert api.patch(f"/tasks/{task['id']}", {"status": "done"}, user=EDITOR).status == 204


def test_an_archived_project_keeps_its_comments_settings_and_members(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    task = api.post(f"/projects/{project}/tasks", {"title": "Keep me"}).body
    comment = api.post(f"/tasks/{task['id']}/comments", {"body": "x"}, user=EDITOR).body
    assert api.post(f"/projects/{project}/archive").status == 204
    aws_calls.clear()
    refused = [
        api.patch(f"/tasks/{task['id']}/comments/{comment['id']}", {"body": "y"}, user=EDITOR),
        api.delete(f"/tasks/{task['id']}/comments/{comment['id']}", user=EDITOR),
        api.patch(f"/projects/{project}", {"name": "Renamed"}),
        api.patch(f"/projects/{project}/members/{VIEWER}", {"role": "editor"}),
        api.delete(f"/projects/{project}/members/{VIEWER}"),
        share(api, project, NEWCOMER, "viewer"),
    ]
    assert [(r.status, _reason(r)) for r in refused] == [(409, "project_archived")] * 6
    # Each refused by its own TransactWriteItems (one each), not by a check beforehand.
    assert aws_calls.operations.get("TransactWriteItems") == 6
    # Leaving is no write into the project: it stays possible.
    assert api.delete(f"/projects/{project}/members/{VIEWER}", user=VIEWER).status == 204
    assert api.get(f"/projects/{project}").body["name"] == "Shared"


def test_the_inbox_is_never_archived(api: Api) -> None:
    assert _reason(api.post("/projects/inbox/archive")) == "inbox"
