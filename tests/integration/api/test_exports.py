"""Exports over the api handler, the export queue and the exporter handler (moto's SQS and
S3): the ZIP is downloaded through its link, opened and checked."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import httpx
import pytest

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.runtime import job_pollers
from tests.integration.api.test_attachments import PDF, attach
from tests.integration.conftest import Api
from tests.integration.support import queue_depth

pytestmark = pytest.mark.integration


def run_exports(config: LocalConfig) -> int:
    """The exporter, once per queued job (as the local stack's poller runs it)."""
    exporter, _ = job_pollers(config)
    done = 0
    while queue_depth(config, config.exports_queue_url):
        done += exporter.poll(wait_seconds=0)
    return done


def seeded_project(api: Api) -> tuple[str, list[dict[str, Any]]]:
    project = api.post("/projects", {"name": "Umzug 📦"})
    assert project.status == 201, project.body
    pid = project.body["id"]
    tasks = []
    for body in (
        {
            "title": "Kisten packen",
            "description": 'Zeile eins\nZeile zwei, mit "Anführung"',
            "priority": "high",
            "labels": ["home", "büro"],
            "due_at": "2026-12-24T16:00:00Z",
        },
        {"title": '=HYPERLINK("http://evil")', "status": "done"},
        {"title": "Plain"},
    ):
        reply = api.post(f"/projects/{pid}/tasks", body)
        assert reply.status == 201, reply.body
        tasks.append(reply.body)
    comment = api.post(f"/tasks/{tasks[0]['id']}/comments", {"body": "Nicht vergessen ✔"})
    assert comment.status == 201, comment.body
    attach(api, tasks[0]["id"], PDF, name="Liste.pdf")
    return pid, tasks


def download(api: Api, export_id: str, user: str = "user-a") -> zipfile.ZipFile:
    reply = api.get(f"/exports/{export_id}", user=user)
    assert reply.status == 200, reply.body
    assert reply.body["status"] == "ready", reply.body
    assert reply.headers["cache-control"] == "no-store"
    response = httpx.get(reply.body["download"]["url"], timeout=10)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_a_project_export_is_a_zip_with_every_field_the_csv_and_the_files(
    api: Api, exchange: LocalConfig
) -> None:
    pid, tasks = seeded_project(api)
    started = api.post("/exports", {"project_id": pid})
    assert started.status == 201, started.body
    assert started.body["status"] == "queued"
    assert started.headers["location"] == f"/exports/{started.body['id']}"
    assert api.get(f"/exports/{started.body['id']}").body["download"] is None

    assert run_exports(exchange) == 1
    archive = download(api, started.body["id"])
    names = archive.namelist()
    assert "tasks.json" in names
    assert "tasks.csv" in names
    exported = json.loads(archive.read("tasks.json"))
    by_id = {t["id"]: t for t in exported["tasks"]}
    assert set(by_id) == {t["id"] for t in tasks}
    for task in tasks:
        for field in ("title", "description", "status", "priority", "labels", "due_at", "version"):
            assert by_id[task["id"]][field] == task[field], field
    first = by_id[tasks[0]["id"]]
    assert [c["body"] for c in first["comments"]] == ["Nicht vergessen ✔"]
    (attachment,) = first["attachments"]
    assert attachment["file_name"] == "Liste.pdf"
    assert archive.read(attachment["path"]) == PDF

    rows = list(csv.DictReader(io.StringIO(archive.read("tasks.csv").decode("utf-8-sig"))))
    titles = {row["title"] for row in rows}
    assert "Kisten packen" in titles
    # A formula is neutralised for spreadsheets: it starts with a quote, never with "=".
    assert not any(title.startswith("=") for title in titles)
    assert len(rows) == 3

    ready = api.get(f"/exports/{started.body['id']}").body
    assert ready["summary"]["tasks"] == 3
    assert ready["summary"]["files"] == 1
    assert ready["progress"]["tasks"] == 3


def test_an_export_leaves_the_trash_out(api: Api, exchange: LocalConfig) -> None:
    """A task in the trash is gone from every list, so from the export: its row, its
    comments and its files (an import would otherwise bring it back as a live task)."""
    pid, tasks = seeded_project(api)
    trashed = tasks[0]  # the one with a comment and a file
    assert api.delete(f"/tasks/{trashed['id']}").status == 204
    started = api.post("/exports", {"project_id": pid})
    assert started.status == 201, started.body
    assert run_exports(exchange) == 1
    archive = download(api, started.body["id"])
    exported = json.loads(archive.read("tasks.json"))
    assert {t["id"] for t in exported["tasks"]} == {t["id"] for t in tasks[1:]}
    assert not [name for name in archive.namelist() if name.startswith("attachments/")]
    rows = list(csv.DictReader(io.StringIO(archive.read("tasks.csv").decode("utf-8-sig"))))
    assert {row["id"] for row in rows} == {t["id"] for t in tasks[1:]}
    summary = api.get(f"/exports/{started.body['id']}").body["summary"]
    assert (summary["tasks"], summary["files"]) == (2, 0)


def test_exports_are_the_requesters_only(api: Api, exchange: LocalConfig) -> None:
    pid, _ = seeded_project(api)
    started = api.post("/exports", {"project_id": pid})
    assert started.status == 201
    export_id = started.body["id"]
    assert api.get(f"/exports/{export_id}", user="user-b").status == 404
    assert api.get("/exports", user="user-b").body["items"] == []
    assert api.get("/exports/not-an-id").status == 404
    # A project the caller is no member of is not found, and nothing is queued for it.
    assert api.post("/exports", {"project_id": pid}, user="user-b").status == 404
    assert api.post("/exports", {"project_id": pid, "extra": 1}).status == 422
    assert [e["id"] for e in api.get("/exports").body["items"]] == [export_id]


def test_everything_the_user_can_read_and_the_active_export_limit(
    api: Api, exchange: LocalConfig
) -> None:
    seeded_project(api)
    api.post("/projects/inbox/tasks", {"title": "In the Inbox"})
    ids = [api.post("/exports", body).body["id"] for body in ({}, {"project_id": None}, None)]
    for not_an_object in ([None, None], "project", 3):
        invalid = api.post("/exports", not_an_object)
        assert (invalid.status, invalid.error_code) == (422, "validation_failed"), invalid
    refused = api.post("/exports", {})
    assert refused.status == 429
    assert refused.error_code == "too_many_jobs"
    assert run_exports(exchange) == 3
    archive = download(api, ids[0])
    exported = json.loads(archive.read("tasks.json"))
    assert {t["title"] for t in exported["tasks"]} >= {"Kisten packen", "In the Inbox"}
    assert len(exported["projects"]) == 2
    assert api.post("/exports", {}).status == 201  # the finished ones no longer count


def test_an_export_of_a_project_gone_meanwhile_fails_and_says_why(
    api: Api, exchange: LocalConfig
) -> None:
    pid, _ = seeded_project(api)
    export_id = api.post("/exports", {"project_id": pid}).body["id"]
    assert api.delete(f"/projects/{pid}", query={"force": "true"}).status == 204
    assert run_exports(exchange) == 1
    failed = api.get(f"/exports/{export_id}").body
    assert failed["status"] == "failed"
    assert failed["error"]
    assert failed["download"] is None
    assert queue_depth(exchange, exchange.exports_queue_url) == 0  # not retried: nothing to do
