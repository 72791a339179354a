"""Tasks with depth over HTTP against `tasklane dev`: a weekly series completed three times,
delete and undo, a checklist ticked by two users, the history a moment later."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from .support import User, collect, share

pytestmark = pytest.mark.e2e


def _shared_project(alice: User, bob: User) -> str:
    assert bob.http.get("/me").status_code == 200  # a profile with bob's verified address
    reply = alice.http.post("/projects", json={"name": f"Depth {uuid.uuid4().hex[:6]}"})
    assert reply.status_code == 201, reply.text
    project_id: str = reply.json()["id"]
    joined = share(alice, project_id, bob, "editor")  # invited, and bob accepts
    assert joined.status_code == 200, joined.text
    return project_id


def _tasks(user: User, project_id: str) -> list[dict[str, Any]]:
    pages = collect(user.http, f"/projects/{project_id}/tasks", {"limit": 100, "sort": "due"})
    return [task for page in pages for task in page]


def test_a_weekly_task_completed_three_times(alice: User, bob: User) -> None:
    project_id = _shared_project(alice, bob)
    created = alice.http.post(
        f"/projects/{project_id}/tasks",
        json={
            "title": "Water the plants",
            "due_at": "2027-03-22T09:00:00+01:00",  # a Monday, Berlin winter time
            "recurrence": "FREQ=WEEKLY;BYDAY=MO",
            "time_zone": "Europe/Berlin",
            "labels": ["home"],
        },
    )
    assert created.status_code == 201, created.text
    current = created.json()
    for n in range(3):
        # As the web app does (through the series: its next occurrence prepared by the
        # stream a moment after each change), and as a PATCH does.
        if n % 2 == 0:
            done = bob.http.post(f"/tasks/{current['id']}/recurrence/complete")
        else:
            done = alice.http.patch(f"/tasks/{current['id']}", json={"status": "done"})
        assert done.status_code == 204, done.text
        # A retry of the same completion, either way, creates nothing more.
        assert alice.http.patch(f"/tasks/{current['id']}", json={"status": "done"}).status_code in (
            204,
        )
        assert bob.http.post(f"/tasks/{current['id']}/recurrence/complete").status_code == 204
        current = next(t for t in _tasks(alice, project_id) if t["status"] == "todo")
    tasks = _tasks(alice, project_id)
    assert [t["status"] for t in tasks] == ["done", "done", "done", "todo"]
    # Across the change to summer time (28 March): still 09:00 in Berlin, 07:00 UTC.
    assert [t["due_at"] for t in tasks] == [
        "2027-03-22T08:00:00.000Z",
        "2027-03-29T07:00:00.000Z",
        "2027-04-05T07:00:00.000Z",
        "2027-04-12T07:00:00.000Z",
    ]
    assert {t["title"] for t in tasks} == {"Water the plants"}
    assert tasks[-1]["labels"] == ["home"]
    assert tasks[-1]["recurrence"]["number"] == 4


def test_delete_then_undo(alice: User, bob: User) -> None:
    project_id = _shared_project(alice, bob)
    task = alice.http.post(f"/projects/{project_id}/tasks", json={"title": "Oops"}).json()
    assert alice.http.post(f"/tasks/{task['id']}/comments", json={"body": "kept"}).status_code == (
        201
    )
    assert bob.http.delete(f"/tasks/{task['id']}").status_code == 204
    assert alice.http.get(f"/tasks/{task['id']}").status_code == 404
    trash = alice.http.get(f"/projects/{project_id}/trash").json()["items"]
    assert [t["id"] for t in trash] == [task["id"]]
    undone = bob.http.post(f"/tasks/{task['id']}/restore")
    assert undone.status_code == 200, undone.text
    assert alice.http.get(f"/tasks/{task['id']}").json()["title"] == "Oops"
    comments = alice.http.get(f"/tasks/{task['id']}/comments").json()["items"]
    assert [c["body"] for c in comments] == ["kept"]


def test_a_checklist_ticked_by_two_users_and_its_history(alice: User, bob: User) -> None:
    project_id = _shared_project(alice, bob)
    task = alice.http.post(f"/projects/{project_id}/tasks", json={"title": "Pack"}).json()
    path = f"/tasks/{task['id']}/checklist"
    items = [alice.http.post(path, json={"text": f"box {n}"}).json() for n in range(4)]
    for n, item in enumerate(items):
        user = (alice, bob)[n % 2]
        assert user.http.patch(f"{path}/{item['id']}", json={"done": True}).status_code == 204
    read = alice.http.get(f"/tasks/{task['id']}").json()
    assert read["checklist_progress"] == {"done": 4, "total": 4}
    assert {i["done_by"] for i in read["checklist"]} == {alice.sub, bob.sub}
    # The history follows from the stream, a moment later.
    deadline = time.monotonic() + 20
    entries: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        entries = bob.http.get(f"/tasks/{task['id']}/activity").json()["items"]
        if len(entries) >= 9:
            break
        time.sleep(0.5)
    ticks = [e for e in entries if e["field"] == "checklist_item" and e["new"]["done"]]
    assert {e["actor_id"] for e in ticks} == {alice.sub, bob.sub}
    assert entries[-1]["action"] == "created"
