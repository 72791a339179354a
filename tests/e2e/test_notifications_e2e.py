"""Notifications over HTTP against the stack `make run` starts: API write → stream → events
handler (jobs) → SQS → notifier → SES (the local mailbox, ``GET /_dev/mail``) and the in-app
notifications, within 2 s."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import pytest

from .support import User

pytestmark = pytest.mark.e2e

#: The issue's bound, as a user sees it.
WITHIN_SECONDS = 2.0
T = TypeVar("T")


def _eventually(find: Callable[[], T | None], timeout: float = WITHIN_SECONDS) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not there within {timeout} s")
        time.sleep(0.05)


def _mail(anonymous: httpx.Client, to: str, needle: str) -> Callable[[], dict[str, Any] | None]:
    def find() -> dict[str, Any] | None:
        reply = anonymous.get("/_dev/mail")
        assert reply.status_code == 200, reply.text
        return next(
            (m for m in reply.json()["items"] if to in m["to"] and needle in m["subject"]), None
        )

    return find


def _notice(user: User, kind: str, needle: str) -> Callable[[], dict[str, Any] | None]:
    def find() -> dict[str, Any] | None:
        reply = user.http.get("/notifications", params={"limit": 20})
        assert reply.status_code == 200, reply.text
        return next(
            (n for n in reply.json()["items"] if n["kind"] == kind and needle in n["title"]),
            None,
        )

    return find


def test_share_assign_complete(alice: User, bob: User, anonymous: httpx.Client) -> None:
    # Profiles exist once a user has been seen by a PostgreSQL route.
    assert alice.http.get("/me").status_code == 200
    me = bob.http.get("/me")
    assert me.status_code == 200
    bob_name = me.json()["display_name"]
    word = uuid.uuid4().hex[:8]

    project = alice.http.post("/projects", json={"name": f"Launch {word}"})
    assert project.status_code == 201, project.text
    project_id = project.json()["id"]
    invited = alice.http.post(
        f"/projects/{project_id}/members", json={"email": bob.email, "role": "editor"}
    )
    assert invited.status_code == 202, invited.text
    invitation = _eventually(_mail(anonymous, bob.email, f"Launch {word}"))
    assert "/invitations" in invitation["html"]
    _eventually(_notice(bob, "project_invited", f"Launch {word}"))
    accepted = bob.http.post(f"/invitations/{invited.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    _eventually(_notice(bob, "project_shared", f"Launch {word}"))

    title = f"Ship <b>{word}</b>"
    created = alice.http.post(
        f"/projects/{project_id}/tasks", json={"title": title, "assignee_id": bob.sub}
    )
    assert created.status_code == 201, created.text
    task_id = created.json()["id"]

    mail = _eventually(_mail(anonymous, bob.email, title))
    assert mail["subject"].endswith(f"assigned you “{title}”")
    assert f"/tasks/{task_id}" in mail["html"]
    assert f"Ship &lt;b&gt;{word}&lt;/b&gt;" in mail["html"]
    notice = _eventually(_notice(bob, "task_assigned", title))
    assert notice["task_id"] == task_id
    assert notice["actor_id"] == alice.sub
    assert notice["read_at"] is None

    done = bob.http.patch(f"/tasks/{task_id}", json={"status": "done"})
    assert done.status_code in (200, 204), done.text
    mail = _eventually(_mail(anonymous, alice.email, f"“{title}” was completed"))
    assert bob_name in mail["text"]
    completed = _eventually(_notice(alice, "task_completed", word))

    # A comment on a task Alice owns (and Bob is assigned): Alice hears of it, Bob not.
    said = bob.http.post(f"/tasks/{task_id}/comments", json={"body": f"Done <i>{word}</i>"})
    assert said.status_code == 201, said.text
    mail = _eventually(_mail(anonymous, alice.email, f"commented on “{title}”"))
    assert f"Done &lt;i&gt;{word}&lt;/i&gt;" in mail["html"]
    _eventually(_notice(alice, "comment_added", title))
    assert _notice(bob, "comment_added", title)() is None

    # Nobody hears of their own action: Bob got no "completed", Alice no "assigned".
    assert _notice(bob, "task_completed", word)() is None
    assert _notice(alice, "task_assigned", word)() is None

    listed = alice.http.get("/notifications").json()
    assert listed["unread"] >= 1
    assert alice.http.post(f"/notifications/{completed['id']}/read").status_code == 204
    after = alice.http.get("/notifications").json()
    assert after["unread"] == listed["unread"] - 1
    assert alice.http.post("/notifications/read-all").status_code == 204
    assert alice.http.get("/notifications").json()["unread"] == 0
