"""Search over HTTP against the stack `make run` starts: API write → stream poller → events
handler → PostgreSQL → /search, within 2 s."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from .support import User

pytestmark = pytest.mark.e2e

#: The issue's bound on projection lag, as a user sees it.
LAG_SECONDS = 2.0


def _eventually(check: Callable[[], bool], timeout: float = LAG_SECONDS) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout} s")


def _found(user: User, q: str) -> list[dict[str, Any]]:
    reply = user.http.get("/search", params={"q": q})
    assert reply.status_code == 200, reply.text
    items: list[dict[str, Any]] = reply.json()["items"]
    return items


def test_created_updated_deleted_tasks_follow_in_search(alice: User, bob: User) -> None:
    word = "zq" + uuid.uuid4().hex[:8]
    created = alice.http.post("/projects/inbox/tasks", json={"title": f"Prepare {word} deck"})
    assert created.status_code == 201, created.text
    task = created.json()

    _eventually(lambda: [h["task"]["id"] for h in _found(alice, word)] == [task["id"]])
    # Another user never sees it, also not by prefix.
    assert _found(bob, word) == []
    assert _found(bob, word[:5]) == []

    other = "zq" + uuid.uuid4().hex[:8]
    changed = alice.http.patch(f"/tasks/{task['id']}", json={"description": f"about {other}"})
    assert changed.status_code == 204
    _eventually(lambda: [h["task"]["id"] for h in _found(alice, other)] == [task["id"]])

    assert alice.http.delete(f"/tasks/{task['id']}").status_code == 204
    _eventually(lambda: _found(alice, word) == [])


def test_me_and_stats_over_http(alice: User) -> None:
    me = alice.http.get("/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == alice.email
    assert alice.http.patch("/me", json={"time_zone": "Nowhere/Land"}).status_code == 422
    stats = alice.http.get("/stats")
    assert stats.status_code == 200, stats.text
    assert "total" in stats.json()
