"""A realistic mix of what people do in Tasklane, for locust (``python -m load`` runs it).

Each simulated user is a real Cognito user (tokens in ``TASKLANE_LOAD_TOKENS``, one per line,
made by the runner) working in a project of their own: listing, reading, creating, updating
and completing tasks, searching, attaching small files, reading notifications when the API
has them. Every write the API acknowledged (2xx) is appended to ``TASKLANE_LOAD_JOURNAL``
(JSON lines): the runner checks each one against DynamoDB and the projection afterwards.

Runs inside locust (gevent): imports nothing of Tasklane, talks HTTP only.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from typing import Any

from locust import HttpUser, between, task

TOKENS = [t for t in os.environ.get("TASKLANE_LOAD_TOKENS", "").split() if t]
JOURNAL = os.environ.get("TASKLANE_LOAD_JOURNAL", "load-journal.jsonl")
WORDS = [
    "invoice",
    "report",
    "deploy",
    "review",
    "budget",
    "launch",
    "design",
    "hiring",
    "audit",
    "roadmap",
]
#: A tiny valid PNG: the API checks that an upload's content looks like its declared type.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d8d8d40000000049454e44ae426082"
)
_token_cycle = itertools.cycle(range(max(len(TOKENS), 1)))
_journal_lock = threading.Lock()


def record(entry: dict[str, Any]) -> None:
    """One acknowledged write; flushed at once, so a crash of locust loses none."""
    with _journal_lock, open(JOURNAL, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry) + "\n")


def version_of(etag: str | None) -> int | None:
    return int(etag.strip('"')) if etag else None


class TasklaneUser(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        if not TOKENS:
            raise RuntimeError("TASKLANE_LOAD_TOKENS is empty: run `python -m load`")
        self.client.headers["Authorization"] = TOKENS[next(_token_cycle)]
        self.tasks_etags: dict[str, str] = {}
        self.has_notifications = "/notifications" in self.client.get(
            "/openapi.json", name="/openapi.json"
        ).json().get("paths", {})
        with self.client.post(
            "/projects",
            json={"name": f"load {random.randrange(10**6)}"},
            name="/projects [create]",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"create project: {response.status_code} {response.text[:200]}")
                raise RuntimeError("cannot create a project")
            self.project_id = response.json()["id"]
            record({"op": "project", "id": self.project_id, "version": 1})
        for _ in range(3):
            self.create_task()

    # -- reads (most of the traffic) -------------------------------------------------------
    @task(6)
    def list_tasks(self) -> None:
        self.client.get(
            f"/projects/{self.project_id}/tasks",
            params={"limit": 20, "sort": random.choice(["created", "due", "priority"])},
            name="/projects/{id}/tasks",
        )

    @task(3)
    def list_projects(self) -> None:
        self.client.get("/projects", name="/projects")

    @task(4)
    def get_task(self) -> None:
        if self.tasks_etags:
            task_id = random.choice(list(self.tasks_etags))
            self.client.get(f"/tasks/{task_id}", name="/tasks/{id}")

    @task(3)
    def search(self) -> None:
        self.client.get("/search", params={"q": random.choice(WORDS)}, name="/search")

    @task(1)
    def notifications(self) -> None:
        if self.has_notifications:
            self.client.get("/notifications", params={"limit": 20}, name="/notifications")

    # -- writes ----------------------------------------------------------------------------
    @task(3)
    def create_task(self) -> None:
        body = {
            "title": f"{random.choice(WORDS)} {random.choice(WORDS)} {random.randrange(1000)}",
            "priority": random.choice(["low", "medium", "high", "urgent"]),
            "labels": random.sample(WORDS, 2),
        }
        response = self.client.post(
            f"/projects/{self.project_id}/tasks", json=body, name="/projects/{id}/tasks [create]"
        )
        if response.status_code == 201:
            task_id = response.json()["id"]
            self.tasks_etags[task_id] = response.headers["ETag"]
            record({"op": "create", "id": task_id, "version": version_of(response.headers["ETag"])})

    @task(4)
    def update_task(self) -> None:
        if not self.tasks_etags:
            return
        task_id = random.choice(list(self.tasks_etags))
        patch = random.choice(
            [
                {"status": random.choice(["todo", "in_progress", "done"])},
                {"priority": random.choice(["low", "high"])},
                {"title": f"{random.choice(WORDS)} revised {random.randrange(1000)}"},
            ]
        )
        response = self.client.patch(
            f"/tasks/{task_id}",
            json=patch,
            headers={"If-Match": self.tasks_etags[task_id]},
            name="/tasks/{id} [update]",
        )
        if response.status_code == 204:
            self.tasks_etags[task_id] = response.headers["ETag"]
            record({"op": "update", "id": task_id, "version": version_of(response.headers["ETag"])})

    @task(1)
    def delete_task(self) -> None:
        if len(self.tasks_etags) < 5:
            return
        task_id = random.choice(list(self.tasks_etags))
        response = self.client.delete(
            f"/tasks/{task_id}",
            headers={"If-Match": self.tasks_etags[task_id]},
            name="/tasks/{id} [delete]",
        )
        if response.status_code == 204:
            del self.tasks_etags[task_id]
            record({"op": "delete", "id": task_id})

    @task(1)
    def attach_file(self) -> None:
        """Upload form → the file straight to S3 (moto) → complete: three requests."""
        if not self.tasks_etags:
            return
        task_id = random.choice(list(self.tasks_etags))
        started = self.client.post(
            f"/tasks/{task_id}/attachments",
            json={"file_name": "dot.png", "size": len(PNG), "content_type": "image/png"},
            name="/tasks/{id}/attachments [create]",
        )
        if started.status_code != 201:
            return
        body = started.json()
        form = body["upload"]
        with self.client.post(
            form["url"],
            data=form["fields"],
            files={"file": ("dot.png", PNG, "image/png")},
            headers={"Authorization": None},  # S3 takes the form's signature, not our token
            name="S3 upload (presigned POST)",
            catch_response=True,
        ) as upload:
            if upload.status_code not in (200, 201, 204):
                upload.failure(f"S3 answered {upload.status_code}")
                return
        self.client.post(
            f"/tasks/{task_id}/attachments/{body['attachment']['id']}/complete",
            name="/tasks/{id}/attachments/{id}/complete",
        )
