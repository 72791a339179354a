"""Projects over HTTP: CRUD, ETags, the Inbox, pagination, and other users' projects."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .support import User, collect, error_code

pytestmark = pytest.mark.e2e


def _create(user: User, name: str, **fields: Any) -> dict[str, Any]:
    response = user.http.post("/projects", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def test_create_read_change_delete(alice: User) -> None:
    created = alice.http.post("/projects", json={"name": "  Launch  ", "description": "Q4"})

    assert created.status_code == 201
    project = created.json()
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/projects/{project['id']}"
    assert project | {"id": "", "created_at": "", "updated_at": ""} == {
        "id": "",
        "name": "Launch",  # trimmed
        "description": "Q4",
        "is_inbox": False,
        "owner_id": alice.sub,
        "role": "owner",
        "created_at": "",
        "updated_at": "",
        "version": 1,
        # Set while the project is archived (read-only).
        "archived_at": None,
        "archived_by": None,
    }
    path = f"/projects/{project['id']}"

    read = alice.http.get(path)
    assert (read.status_code, read.json(), read.headers["etag"]) == (200, project, '"1"')

    renamed = alice.http.patch(path, json={"name": "Launch v2"}, headers={"If-Match": '"1"'})
    assert (renamed.status_code, renamed.headers["etag"], renamed.content) == (204, '"2"', b"")

    described = alice.http.patch(
        path, json={"description": "ship it"}, headers={"Prefer": "return=representation"}
    )
    assert described.status_code == 200
    assert described.headers["etag"] == '"3"'
    body = described.json()
    assert (body["name"], body["description"], body["version"]) == ("Launch v2", "ship it", 3)
    assert body["updated_at"] >= project["updated_at"]
    assert alice.http.get(path).json() == body

    listed = [p["id"] for page in collect(alice.http, "/projects", {}) for p in page]
    assert project["id"] in listed

    deleted = alice.http.delete(path, headers={"If-Match": '"3"'})
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert alice.http.get(path).status_code == 404
    assert alice.http.delete(path).status_code == 404
    listed = [p["id"] for page in collect(alice.http, "/projects", {}) for p in page]
    assert project["id"] not in listed


def test_stale_if_match_is_412_and_changes_nothing(alice: User) -> None:
    project = _create(alice, "concurrency")
    path = f"/projects/{project['id']}"
    assert alice.http.patch(path, json={"name": "moved on"}).status_code == 204  # now "2"

    stale_patch = alice.http.patch(path, json={"name": "lost"}, headers={"If-Match": '"1"'})
    stale_delete = alice.http.delete(path, headers={"If-Match": '"1"'})

    assert (stale_patch.status_code, error_code(stale_patch)) == (412, "precondition_failed")
    assert (stale_delete.status_code, error_code(stale_delete)) == (412, "precondition_failed")
    current = alice.http.get(path)
    assert (current.json()["name"], current.headers["etag"]) == ("moved on", '"2"')
    assert alice.http.delete(path, headers={"If-Match": '"2"'}).status_code == 204


def test_a_project_with_tasks_is_deleted_only_with_force(alice: User) -> None:
    project = _create(alice, "with tasks")
    path = f"/projects/{project['id']}"
    task = alice.http.post(f"{path}/tasks", json={"title": "keep me"}).json()

    refused = alice.http.delete(path)
    assert (refused.status_code, error_code(refused)) == (409, "conflict")
    assert alice.http.get(f"/tasks/{task['id']}").status_code == 200

    assert alice.http.delete(path, params={"force": "true"}).status_code == 204
    assert alice.http.get(path).status_code == 404
    assert alice.http.get(f"/tasks/{task['id']}").status_code == 404
    assert alice.http.get(f"{path}/tasks").status_code == 404


def test_the_inbox_exists_for_everyone_and_cannot_be_deleted(alice: User) -> None:
    inbox = alice.http.get("/projects/inbox")
    assert inbox.status_code == 200
    body = inbox.json()
    assert (body["name"], body["is_inbox"], body["owner_id"]) == ("Inbox", True, alice.sub)
    assert alice.http.get(f"/projects/{body['id']}").json() == body

    for path in ("/projects/inbox", f"/projects/{body['id']}"):
        refused = alice.http.delete(path, params={"force": "true"})
        assert (refused.status_code, error_code(refused)) == (409, "conflict")
    assert alice.http.get("/projects/inbox").json() == body


def test_projects_list_inbox_first_then_oldest_first_across_pages(bob: User) -> None:
    created = [_create(bob, f"page {n} {uuid.uuid4()}")["id"] for n in range(3)]

    pages = collect(bob.http, "/projects", {"limit": 1})

    assert len(pages) >= 4  # the Inbox and the three, one per page
    assert all(len(page) == 1 for page in pages)
    projects = [p for page in pages for p in page]
    ids = [p["id"] for p in projects]
    assert len(ids) == len(set(ids))
    assert projects[0]["is_inbox"] is True
    assert not any(p["is_inbox"] for p in projects[1:])
    rest = projects[1:]
    assert [p["created_at"] for p in rest] == sorted(p["created_at"] for p in rest)
    assert [i for i in ids if i in created] == created


def test_another_users_project_does_not_exist_for_them(alice: User, bob: User) -> None:
    project = _create(alice, "private", description="alice only")
    path = f"/projects/{project['id']}"
    task = alice.http.post(f"{path}/tasks", json={"title": "private task"}).json()

    attempts = {
        "get": bob.http.get(path),
        "patch": bob.http.patch(path, json={"name": "mine"}),
        "patch-if-match": bob.http.patch(path, json={"name": "mine"}, headers={"If-Match": '"1"'}),
        "stale-if-match": bob.http.patch(path, json={"name": "x"}, headers={"If-Match": '"7"'}),
        "delete": bob.http.delete(path),
        "force-delete": bob.http.delete(path, params={"force": "true"}),
        "list-tasks": bob.http.get(f"{path}/tasks"),
        "create-task": bob.http.post(f"{path}/tasks", json={"title": "intruder"}),
    }

    for name, response in attempts.items():
        assert (response.status_code, error_code(response)) == (404, "not_found"), name
    bobs = [p["id"] for page in collect(bob.http, "/projects", {}) for p in page]
    assert project["id"] not in bobs
    after = alice.http.get(path)
    assert (after.json(), after.headers["etag"]) == (project, '"1"')
    tasks = alice.http.get(f"{path}/tasks").json()["items"]
    assert [t["id"] for t in tasks] == [task["id"]]


@pytest.mark.parametrize("project_id", ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope", "0" * 26, "inbox2"])
def test_unknown_or_malformed_project_ids_are_404(alice: User, project_id: str) -> None:
    response = alice.http.get(f"/projects/{project_id}")

    assert (response.status_code, error_code(response)) == (404, "not_found")
