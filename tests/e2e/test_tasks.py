"""Tasks over HTTP: CRUD, ETags and If-Match, idempotent POSTs, and other users' tasks."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tasklane.domain.board import default_position

from .support import User, collect, error_code

pytestmark = pytest.mark.e2e


def _project(user: User, name: str = "tasks") -> str:
    response = user.http.post("/projects", json={"name": name})
    assert response.status_code == 201
    project_id: str = response.json()["id"]
    return project_id


def _task(user: User, project_id: str, **fields: Any) -> dict[str, Any]:
    response = user.http.post(f"/projects/{project_id}/tasks", json={"title": "t", **fields})
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


def _ids(user: User, project_id: str) -> list[str]:
    pages = collect(user.http, f"/projects/{project_id}/tasks", {"limit": 100})
    return [task["id"] for page in pages for task in page]


def test_create_read_change_delete(alice: User) -> None:
    project_id = _project(alice)
    created = alice.http.post(
        f"/projects/{project_id}/tasks",
        json={
            "title": "  Write the launch post ",
            "description": "line 1\nline 2",
            "priority": "high",
            "due_at": "2026-12-01T17:00:00+01:00",
            "labels": ["Marketing", " marketing ", "Bug  Fix", "\uff35\uff29"],
        },
    )

    assert created.status_code == 201
    task = created.json()
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/tasks/{task['id']}"
    assert task["id"].startswith(f"{project_id}-")
    # The board position derives from the id: the end of its column.
    assert task["position"] == default_position(task["id"])
    assert task | {"id": "", "created_at": "", "updated_at": "", "position": ""} == {
        "id": "",
        "position": "",
        "project_id": project_id,
        "title": "Write the launch post",
        "description": "line 1\nline 2",
        "status": "todo",
        "priority": "high",
        "due_at": "2026-12-01T16:00:00.000Z",  # in UTC
        "labels": ["marketing", "bug fix", "ui"],  # normalised, duplicates dropped
        "created_at": "",
        "updated_at": "",
        "completed_at": None,
        "created_by": alice.sub,
        "updated_by": alice.sub,
        "assignee_id": None,
        "version": 1,
        "recurrence": None,
        "checklist": [],
        "checklist_progress": {"done": 0, "total": 0},
        # Set in trash listings only.
        "deleted_at": None,
        "deleted_by": None,
        "purge_at": None,
    }
    path = f"/tasks/{task['id']}"

    read = alice.http.get(path)
    assert (read.status_code, read.json(), read.headers["etag"]) == (200, task, '"1"')

    changed = alice.http.patch(path, json={"status": "done"}, headers={"If-Match": '"1"'})
    assert (changed.status_code, changed.headers["etag"], changed.content) == (204, '"2"', b"")
    done = alice.http.get(path).json()
    assert (done["status"], done["version"], done["title"]) == ("done", 2, task["title"])
    assert done["completed_at"] is not None

    reopened = alice.http.patch(
        path,
        json={"status": "in_progress", "due_at": None, "title": "Rewrite it"},
        headers={"Prefer": "return=representation"},
    )
    assert (reopened.status_code, reopened.headers["etag"]) == (200, '"3"')
    body = reopened.json()
    assert (body["status"], body["completed_at"], body["due_at"]) == ("in_progress", None, None)
    assert (body["title"], body["labels"], body["priority"]) == (
        "Rewrite it",
        task["labels"],
        "high",
    )
    assert alice.http.get(path).json() == body
    assert _ids(alice, project_id) == [task["id"]]

    deleted = alice.http.delete(path, headers={"If-Match": '"3"'})
    assert (deleted.status_code, deleted.content) == (204, b"")
    for response in (
        alice.http.get(path),
        alice.http.patch(path, json={"title": "ghost"}),
        alice.http.delete(path),
    ):
        assert (response.status_code, error_code(response)) == (404, "not_found")
    assert _ids(alice, project_id) == []


def test_created_done_has_completed_at(alice: User) -> None:
    task = _task(alice, _project(alice), status="done")

    assert task["completed_at"] == task["created_at"]


def test_stale_if_match_is_412_for_patch_and_delete_and_changes_nothing(alice: User) -> None:
    task = _task(alice, _project(alice), title="original")
    path = f"/tasks/{task['id']}"
    moved_on = alice.http.patch(path, json={"title": "second"}, headers={"If-Match": '"1"'})
    assert moved_on.headers["etag"] == '"2"'

    stale_patch = alice.http.patch(path, json={"title": "lost"}, headers={"If-Match": '"1"'})
    stale_delete = alice.http.delete(path, headers={"If-Match": '"1"'})
    not_an_etag = alice.http.patch(path, json={"title": "lost"}, headers={"If-Match": "2"})

    for response in (stale_patch, stale_delete, not_an_etag):
        assert (response.status_code, error_code(response)) == (412, "precondition_failed")
    current = alice.http.get(path)
    assert (current.json()["title"], current.headers["etag"]) == ("second", '"2"')
    assert alice.http.delete(path, headers={"If-Match": current.headers["etag"]}).status_code == 204


def test_a_retried_post_with_an_idempotency_key_creates_once(alice: User) -> None:
    project_id = _project(alice, "idempotency")
    path = f"/projects/{project_id}/tasks"
    key = {"Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    body = {"title": "Pay the invoice", "priority": "urgent"}

    first = alice.http.post(path, json=body, headers=key)
    retry = alice.http.post(path, json=body, headers=key)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["idempotent-replayed"] == "true"
    for header in ("etag", "location"):
        assert retry.headers[header] == first.headers[header]
    assert _ids(alice, project_id) == [first.json()["id"]]

    reused = alice.http.post(path, json=body | {"title": "Something else"}, headers=key)

    assert (reused.status_code, error_code(reused)) == (422, "idempotency_key_reused")
    assert _ids(alice, project_id) == [first.json()["id"]]


def test_a_retried_project_post_creates_once(bob: User) -> None:
    key = {"Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    name = f"once {uuid.uuid4()}"

    first = bob.http.post("/projects", json={"name": name}, headers=key)
    retry = bob.http.post("/projects", json={"name": name}, headers=key)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    names = [p["name"] for page in collect(bob.http, "/projects", {"limit": 100}) for p in page]
    assert names.count(name) == 1


def test_an_idempotency_key_belongs_to_its_user(alice: User, bob: User) -> None:
    # Same key, same path (`inbox` is everyone's alias), same body: two users, two tasks.
    key = {"Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    body = {"title": f"shared key {uuid.uuid4()}"}

    alices = alice.http.post("/projects/inbox/tasks", json=body, headers=key)
    bobs = bob.http.post("/projects/inbox/tasks", json=body, headers=key)

    assert alices.status_code == bobs.status_code == 201
    assert "idempotent-replayed" not in bobs.headers
    assert bobs.json()["id"] != alices.json()["id"]
    assert bobs.json()["created_by"] == bob.sub
    assert bob.http.get(f"/tasks/{alices.json()['id']}").status_code == 404


@pytest.mark.parametrize(
    "key", [b"", b"has space", "é".encode(), b"k" * 256], ids=["empty", "space", "utf8", "long"]
)
def test_a_bad_idempotency_key_is_400(alice: User, key: bytes) -> None:
    project_id = _project(alice, "bad keys")

    response = alice.http.post(
        f"/projects/{project_id}/tasks",
        json={"title": "t"},
        headers=[(b"Idempotency-Key", key)],
    )

    assert (response.status_code, error_code(response)) == (400, "bad_request")
    assert _ids(alice, project_id) == []


def test_another_users_task_does_not_exist_for_them(alice: User, bob: User) -> None:
    task = _task(alice, _project(alice, "private tasks"), title="alice's")
    path = f"/tasks/{task['id']}"

    attempts = {
        "get": bob.http.get(path),
        "patch": bob.http.patch(path, json={"title": "bob's"}),
        "patch-if-match": bob.http.patch(
            path, json={"title": "bob's"}, headers={"If-Match": '"1"'}
        ),
        "patch-stale": bob.http.patch(path, json={"title": "bob's"}, headers={"If-Match": '"9"'}),
        "delete": bob.http.delete(path),
        "delete-if-match": bob.http.delete(path, headers={"If-Match": '"1"'}),
    }

    for name, response in attempts.items():
        assert (response.status_code, error_code(response)) == (404, "not_found"), name
    after = alice.http.get(path)
    assert (after.json(), after.headers["etag"]) == (task, '"1"')


@pytest.mark.parametrize(
    "task_id",
    ["nope", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "0" * 26, f"{'0' * 26}-{'0' * 26}", "inbox-x"],
)
def test_unknown_or_malformed_task_ids_are_404(alice: User, task_id: str) -> None:
    for response in (
        alice.http.get(f"/tasks/{task_id}"),
        alice.http.patch(f"/tasks/{task_id}", json={"title": "x"}),
        alice.http.delete(f"/tasks/{task_id}"),
    ):
        assert (response.status_code, error_code(response)) == (404, "not_found")
