"""/notifications: the in-app notices the notifier wrote (through the real queue and the
notifier, see tests/integration/handlers/test_notifier.py), listed and read."""

from __future__ import annotations

import pytest

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import (
    TASK,
    deliver,
    join_task_project,
    make_job,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def members(aws: LocalConfig) -> None:
    """The jobs' recipients are members of the task's project (the notifier checks)."""
    for user in ("user-b", "user-c"):
        join_task_project(aws, user)


def test_list_read_and_read_all(notif: LocalConfig, api: Api) -> None:
    deliver(notif, [make_job(n) for n in range(1, 6)] + [make_job(9, recipient_id="user-c")])

    first = api.get("/notifications", user="user-b", query={"limit": 2})
    assert first.status == 200
    assert first.body["unread"] == 5
    assert [n["title"] for n in first.body["items"]] == [
        "Ada assigned you “Task <5>”",
        "Ada assigned you “Task <4>”",
    ]
    note = first.body["items"][0]
    assert set(note) == {
        "id", "kind", "title", "body", "task_id", "project_id", "actor_id", "url",
        "created_at", "read_at",
    }  # fmt: skip
    assert note["kind"] == "task_assigned"
    assert note["read_at"] is None
    assert note["url"].endswith(f"/tasks/{TASK}")
    assert note["created_at"] == "2025-03-01T09:05:00.000Z"
    seen = [n["id"] for n in first.body["items"]]
    cursor = first.body["next_cursor"]
    while cursor:
        page = api.get("/notifications", user="user-b", query={"limit": 2, "cursor": cursor})
        assert page.status == 200
        assert page.body["unread"] == 5
        seen += [n["id"] for n in page.body["items"]]
        cursor = page.body["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)

    # Someone else's notice is unknown; so is nonsense.
    other = api.get("/notifications", user="user-c").body["items"][0]["id"]
    assert api.post(f"/notifications/{other}/read", user="user-b").status == 404
    missing = api.post("/notifications/not-an-id/read", user="user-b")
    assert missing.status == 404
    assert missing.error_code == "not_found"
    assert set(missing.body["error"]) == {"code", "message", "details"}

    assert api.post(f"/notifications/{seen[0]}/read", user="user-b").status == 204
    assert api.post(f"/notifications/{seen[0]}/read", user="user-b").status == 204  # idempotent
    after = api.get("/notifications", user="user-b")
    assert after.body["unread"] == 4
    assert after.body["items"][0]["read_at"] is not None
    unread = api.get("/notifications", user="user-b", query={"unread_only": "true"})
    assert [n["id"] for n in unread.body["items"]] == seen[1:]

    assert api.post("/notifications/read-all", user="user-b").status == 204
    done = api.get("/notifications", user="user-b")
    assert done.body["unread"] == 0
    assert all(n["read_at"] for n in done.body["items"])
    assert (
        api.get("/notifications", user="user-b", query={"unread_only": "true"}).body["items"] == []
    )
    assert api.get("/notifications", user="user-c").body["unread"] == 1  # untouched


def test_validation_and_cursors(notif: LocalConfig, api: Api) -> None:
    assert api.get("/notifications", user="user-b", query={"limit": 0}).status == 422
    assert api.get("/notifications", user="user-b", query={"limit": 101}).status == 422
    bad = api.get("/notifications", user="user-b", query={"cursor": "abc.def"})
    assert bad.status == 400
    assert bad.error_code == "bad_request"
    deliver(notif, [make_job(n) for n in range(1, 4)])
    cursor = api.get("/notifications", user="user-b", query={"limit": 1}).body["next_cursor"]
    # A cursor is bound to its user and filter.
    stolen = api.get("/notifications", user="user-c", query={"limit": 1, "cursor": cursor})
    assert stolen.status == 400
    other_filter = api.get(
        "/notifications", user="user-b", query={"limit": 1, "cursor": cursor, "unread_only": "true"}
    )
    assert other_filter.status == 400
    empty = api.get("/notifications", user="user-nobody")
    assert empty.status == 200
    assert empty.body == {"items": [], "next_cursor": None, "unread": 0}
