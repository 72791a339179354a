"""The api handler's first request in each route area, in a fresh interpreter (a new Lambda
execution environment) against the session's moto: each area joins the resolver on its first
request and answers it as it does any other (validation, idempotency, CORS, 404), and the
OpenAPI document is the whole one. tests/unit/api/test_app.py checks the area table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tasklane.api.app import ROUTERS
from tasklane.local.bootstrap import LocalConfig

ROOT = Path(__file__).resolve().parents[3]
ORIGIN = "http://127.0.0.1:3000"  # one of TEST_ENVIRONMENT's CORS origins

#: Runs in the fresh interpreter: the requests in order, each answer with the areas the
#: resolver held after it.
CHILD = """
import json, sys
from tasklane.handlers import api
from tasklane.local.invoke import invoke

claims = {"sub": "user-a", "email": "user-a@example.com", "token_use": "id"}
answers = []

def call(method, path, body=None, headers=()):
    text = b"" if body is None else json.dumps(body).encode()
    headers = [("Origin", sys.argv[1]), *headers]
    if body is not None:
        headers.append(("Content-Type", "application/json"))
    reply = invoke(api.lambda_handler, method, path, claims=claims, body=text, headers=headers)
    answer = {
        "status": reply.status,
        "headers": {name.lower(): value for name, value in reply.headers},
        "body": json.loads(reply.body) if reply.body else None,
        "areas": sorted(api.current.resolver.areas.included),
    }
    answers.append(answer)
    return answer

call("GET", "/health")
key = [("Idempotency-Key", "areas-1")]
project = call("POST", "/projects", {"name": "Areas"}, key)["body"]
call("POST", "/projects", {"name": "Areas"}, key)
call("POST", f"/projects/{project['id']}/tasks", {"title": ""})
task = call("POST", f"/projects/{project['id']}/tasks", {"title": "First"})["body"]
call("GET", f"/tasks/{task['id']}/comments")
call("GET", "/notifications")
call("PATCH", "/me", {"nickname": "x"})
call("GET", "/search")
call("GET", "/nowhere")
call("GET", "/openapi.json")
# Built here, not in the test's process: a resolver includes the routers (module-level
# objects) and would take them from the in-process handler the other tests call.
from tasklane.api.app import create_app
from tasklane.api.openapi import document
settings = api.current.resolver.settings
whole = document(create_app(settings), settings)
print("ANSWERS " + json.dumps({"answers": answers, "whole": whole}))
"""


def _first_requests() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, ORIGIN],
        cwd=ROOT,
        env=dict(os.environ),  # the session's moto and this test's user pool
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("ANSWERS ")]
    assert done.returncode == 0, done.stderr[-3000:]
    assert lines, done.stdout[-3000:]
    found = json.loads(lines[0].removeprefix("ANSWERS "))
    return found["answers"], found["whole"]


def test_each_area_answers_its_first_request(aws: LocalConfig) -> None:
    answers, whole = _first_requests()
    (
        health,
        created,
        replayed,
        invalid,
        task,
        comments,
        notifications,
        me,
        search,
        nowhere,
        openapi,
    ) = answers

    assert (health["status"], health["body"], health["areas"]) == (200, {"status": "ok"}, ["meta"])
    assert health["headers"]["access-control-allow-origin"] == ORIGIN

    projects_area = [
        "activity",
        "archive",
        "invitations",
        "members",
        "meta",
        "projects",
        "tasks",
        "trash",
        "webhooks",
    ]
    assert (created["status"], created["areas"]) == (201, projects_area)
    assert created["headers"]["etag"] == '"1"'
    assert replayed["status"] == 201
    assert replayed["body"] == created["body"]
    assert replayed["headers"]["idempotent-replayed"] == "true"

    assert invalid["status"] == 422
    assert invalid["body"]["error"]["code"] == "validation_failed"
    assert task["status"] == 201
    assert task["body"]["title"] == "First"

    assert comments["status"] == 200
    assert comments["body"] == {"items": [], "next_cursor": None}
    tasks_area = ["attachments", "checklists", "comments", "recurrence"]
    assert comments["areas"] == sorted([*projects_area, *tasks_area])

    assert notifications["status"] == 200
    assert "notifications" in notifications["areas"]
    # /me and /search need PostgreSQL, which this test has none of: their requests are
    # refused by validation before it would be used.
    assert me["status"] == 422
    assert me["body"]["error"]["code"] == "validation_failed"
    assert "me" in me["areas"]
    assert search["status"] == 422
    assert search["body"]["error"]["code"] == "validation_failed"
    assert "search" in search["areas"]

    assert nowhere["status"] == 404
    assert nowhere["body"]["error"]["code"] == "not_found"
    assert nowhere["areas"] == search["areas"]

    assert openapi["status"] == 200
    assert openapi["areas"] == sorted(ROUTERS)
    assert openapi["body"] == whole
