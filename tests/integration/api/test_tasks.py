"""Tasks over the api handler, against moto: CRUD, concurrency, idempotency, listing."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.integration.conftest import Api


def _task(api: Api, project: str = "inbox", user: str = "user-a", **fields: Any) -> dict[str, Any]:
    reply = api.post(f"/projects/{project}/tasks", {"title": "t", **fields}, user=user)
    assert reply.status == 201, reply
    return reply.body  # type: ignore[no-any-return]


def test_create_normalises_and_reads_back(api: Api) -> None:
    task = _task(
        api,
        title="  Ship it  ",
        description="line 1\nline 2",
        priority="high",
        due_at="2026-12-01T10:00:00+02:00",
        labels=["  Bug  Fix", "bug fix", "UI"],
    )
    assert task["title"] == "Ship it"
    assert task["due_at"] == "2026-12-01T08:00:00.000Z"
    assert task["labels"] == ["bug fix", "ui"]
    assert (task["status"], task["version"], task["completed_at"]) == ("todo", 1, None)
    got = api.get(f"/tasks/{task['id']}")
    assert got.status == 200
    assert got.body == task
    assert got.headers["etag"] == '"1"'


def test_completed_at_follows_status(api: Api) -> None:
    task = _task(api)
    path = f"/tasks/{task['id']}"
    assert api.patch(path, {"status": "done"}).status == 204
    done = api.get(path).body
    assert done["completed_at"] is not None
    assert api.patch(path, {"status": "done", "title": "again"}).status == 204
    assert api.get(path).body["completed_at"] == done["completed_at"]
    assert api.patch(path, {"status": "in_progress"}).status == 204
    assert api.get(path).body["completed_at"] is None
    created_done = _task(api, status="done")
    assert created_done["completed_at"] == created_done["created_at"]


def test_patch_changes_only_what_was_sent_and_null_clears_due(api: Api) -> None:
    task = _task(api, description="keep", due_at="2026-12-01T10:00:00Z", labels=["a"])
    path = f"/tasks/{task['id']}"
    assert api.patch(path, {"title": "new"}).status == 204
    after = api.get(path).body
    assert (after["title"], after["description"], after["labels"]) == ("new", "keep", ["a"])
    assert after["version"] == 2
    assert api.patch(path, {"due_at": None}).status == 204
    assert api.get(path).body["due_at"] is None
    for bad in ({}, {"title": None}, {"status": "blocked"}, {"labels": ["x"] * 21}, {"id": "z"}):
        assert api.patch(path, bad).status == 422, bad


def test_stale_if_match_is_412_and_changes_nothing(api: Api) -> None:
    task = _task(api)
    path = f"/tasks/{task['id']}"
    assert api.patch(path, {"title": "v2"}, headers={"If-Match": '"1"'}).headers["etag"] == '"2"'
    stale = api.patch(path, {"title": "lost"}, headers={"If-Match": '"1"'})
    assert stale.status == 412
    assert api.patch(path, {"title": "x"}, headers={"If-Match": "garbage"}).status == 412
    assert api.delete(path, headers={"If-Match": '"1"'}).status == 412
    assert api.get(path).body["title"] == "v2"
    assert api.patch(path, {"title": "x"}, headers={"If-Match": 'W/"2"'}).status == 412
    assert api.patch(path, {"title": "v3"}, headers={"If-Match": '"2"'}).status == 204
    assert api.delete(path, headers={"If-Match": '"3"'}).status == 204
    assert api.get(path).status == 404
    assert api.delete(path).status == 404


def test_concurrent_patches_lose_no_acknowledged_write(api: Api) -> None:
    """Writers race with If-Match on one version; exactly the winners are counted."""
    task = _task(api)
    path = f"/tasks/{task['id']}"
    outcomes: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for _ in range(3):
            current = api.get(path)
            reply = api.patch(
                path, {"description": f"w{n}"}, headers={"If-Match": current.headers["etag"]}
            )
            with lock:
                outcomes.append(reply.status)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {204, 409, 412}
    assert api.get(path).body["version"] == 1 + outcomes.count(204)


def test_idempotent_post_creates_once(api: Api, aws_calls: Any) -> None:
    headers = {"Idempotency-Key": "create-1"}
    first = api.post("/projects/inbox/tasks", {"title": "once"}, headers=headers)
    second = api.post("/projects/inbox/tasks", {"title": "once"}, headers=headers)
    assert first.status == second.status == 201
    assert second.body == first.body
    assert second.headers.get("idempotent-replayed") == "true"
    listed = api.get("/projects/inbox/tasks").body["items"]
    assert [t["id"] for t in listed] == [first.body["id"]]

    reused = api.post("/projects/inbox/tasks", {"title": "other"}, headers=headers)
    assert reused.status == 422
    assert reused.error_code == "idempotency_key_reused"
    # Keys are per user: the same key from someone else is a new request.
    theirs = api.post("/projects/inbox/tasks", {"title": "once"}, headers=headers, user="user-b")
    assert theirs.status == 201
    assert theirs.body["id"] != first.body["id"]
    assert api.post("/projects", {"name": "x"}, headers={"Idempotency-Key": ""}).status == 400


def test_a_failed_post_is_not_remembered(api: Api) -> None:
    headers = {"Idempotency-Key": "retry-after-error"}
    missing = api.post(
        "/projects/01m89egk9qt8dykf9k423gb4ht/tasks", {"title": "x"}, headers=headers
    )
    assert missing.status == 404
    again = api.post("/projects/01m89egk9qt8dykf9k423gb4ht/tasks", {"title": "x"}, headers=headers)
    assert again.status == 404


def test_other_users_tasks_are_invisible(api: Api) -> None:
    task = _task(api, user="alice")
    path = f"/tasks/{task['id']}"
    assert api.get(path, user="bob").status == 404
    assert api.patch(path, {"title": "mine"}, user="bob").status == 404
    assert api.delete(path, user="bob").status == 404
    assert api.get(path, user="alice").body["title"] == "t"


@pytest.mark.parametrize(
    "task_id",
    [
        "nope",
        "0" * 26,
        "01m89egk9qt8dykf9k423gb4ht-01m89egk9qt8dykf9k423gb4hv",
        "../x",
        "%00",
        "A" * 300,
    ],
)
def test_unknown_and_garbage_task_ids_are_404(api: Api, task_id: str) -> None:
    assert api.get(f"/tasks/{task_id}").status == 404
    assert api.patch(f"/tasks/{task_id}", {"title": "x"}).status == 404
    assert api.delete(f"/tasks/{task_id}").status == 404
