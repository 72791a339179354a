"""Projects over the api handler, against moto."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tasklane.local.launcher import update_environ
from tasklane.settings import Env
from tasklane.wiring import functions
from tests.integration.conftest import Api


def test_first_list_creates_the_inbox_once(api: Api) -> None:
    first = api.get("/projects")
    again = api.get("/projects")
    assert first.status == again.status == 200
    assert [p["name"] for p in first.body["items"]] == ["Inbox"]
    assert first.body["items"][0]["is_inbox"] is True
    assert again.body["items"][0]["id"] == first.body["items"][0]["id"]


def test_inbox_alias_reaches_the_inbox_even_before_any_list(api: Api) -> None:
    got = api.get("/projects/inbox")
    assert got.status == 200
    assert got.body["is_inbox"] is True
    assert api.get(f"/projects/{got.body['id']}").body == got.body


def test_create_read_rename_delete(api: Api) -> None:
    created = api.post("/projects", {"name": "  Launch  ", "description": "Q4"})
    assert created.status == 201
    project = created.body
    assert project["name"] == "Launch"
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/projects/{project['id']}"

    names = [p["name"] for p in api.get("/projects").body["items"]]
    assert names == ["Inbox", "Launch"]

    renamed = api.patch(
        f"/projects/{project['id']}", {"name": "Launch v2"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status == 204
    assert renamed.headers["etag"] == '"2"'
    got = api.get(f"/projects/{project['id']}")
    assert (got.body["name"], got.body["version"], got.headers["etag"]) == ("Launch v2", 2, '"2"')

    stale = api.patch(f"/projects/{project['id']}", {"name": "x"}, headers={"If-Match": '"1"'})
    assert stale.status == 412
    assert stale.error_code == "precondition_failed"

    assert api.delete(f"/projects/{project['id']}", headers={"If-Match": '"2"'}).status == 204
    assert api.get(f"/projects/{project['id']}").status == 404


def test_patch_with_prefer_representation_returns_the_project(api: Api) -> None:
    project = api.post("/projects", {"name": "A"}).body
    reply = api.patch(
        f"/projects/{project['id']}",
        {"description": "d"},
        headers={"Prefer": "return=representation"},
    )
    assert reply.status == 200
    assert reply.body["description"] == "d"
    assert reply.headers["etag"] == '"2"'


def test_deleting_a_project_with_tasks_needs_force_and_then_deletes_them(api: Api) -> None:
    project = api.post("/projects", {"name": "Doomed"}).body
    tasks = [
        api.post(f"/projects/{project['id']}/tasks", {"title": f"t{n}"}).body for n in range(3)
    ]

    refused = api.delete(f"/projects/{project['id']}")
    assert refused.status == 409
    assert refused.error_code == "conflict"
    assert api.get(f"/tasks/{tasks[0]['id']}").status == 200

    assert api.delete(f"/projects/{project['id']}", query={"force": "true"}).status == 204
    for task in tasks:
        assert api.get(f"/tasks/{task['id']}").status == 404
    assert [p["name"] for p in api.get("/projects").body["items"]] == ["Inbox"]


def test_the_inbox_cannot_be_deleted(api: Api) -> None:
    reply = api.delete("/projects/inbox")
    assert reply.status == 409
    assert "Inbox" in reply.body["error"]["message"]


def test_another_users_project_is_invisible(api: Api) -> None:
    project = api.post("/projects", {"name": "Mine"}, user="alice").body
    path = f"/projects/{project['id']}"
    assert api.get(path, user="bob").status == 404
    assert api.patch(path, {"name": "Theirs"}, user="bob").status == 404
    assert api.delete(path, user="bob", query={"force": "true"}).status == 404
    assert api.get(f"{path}/tasks", user="bob").status == 404
    assert api.post(f"{path}/tasks", {"title": "x"}, user="bob").status == 404
    assert [p["name"] for p in api.get("/projects", user="bob").body["items"]] == ["Inbox"]
    assert api.get(path, user="alice").body["name"] == "Mine"


def test_projects_paginate(api: Api) -> None:
    for n in range(5):
        api.post("/projects", {"name": f"P{n}"})
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        reply = api.get("/projects", query={"limit": 2, "cursor": cursor})
        assert reply.status == 200
        seen += [p["name"] for p in reply.body["items"]]
        pages += 1
        cursor = reply.body["next_cursor"]
        if not cursor:
            break
    assert seen == ["Inbox", "P0", "P1", "P2", "P3", "P4"]
    assert pages == 3


def test_project_validation(api: Api) -> None:
    assert api.post("/projects", {"name": " "}).status == 422
    assert api.post("/projects", {"name": "x" * 101}).status == 422
    assert api.post("/projects", {"name": "a\nb"}).status == 422
    assert api.post("/projects", {"name": "ok", "colour": "red"}).status == 422
    project = api.post("/projects", {"name": "ok"}).body
    assert api.patch(f"/projects/{project['id']}", {}).status == 422
    assert api.patch(f"/projects/{project['id']}", {"name": None}).status == 422


def test_projects_per_user_are_limited(api: Api, pg: Engine) -> None:
    """Issue 14, finding 6: the N+1th project is 409 limit_reached (the Inbox not counted)."""
    saved = update_environ({Env.LIMIT_PROJECTS_PER_USER: "2"})
    functions.reset()
    try:
        assert api.get("/projects/inbox").status == 200
        first = api.post("/projects", {"name": "one"}).body["id"]
        assert api.post("/projects", {"name": "two"}).status == 201
        third = api.post("/projects", {"name": "three"})
        assert (third.status, third.error_code) == (409, "limit_reached")
        assert third.body["error"]["details"] == {"limit": "projects_per_user", "max": 2}
        assert api.delete(f"/projects/{first}").status == 204
        assert api.post("/projects", {"name": "three"}).status == 201
    finally:
        update_environ(saved)
        functions.reset()
