"""Imports over the api handler, a presigned upload to moto's S3, the import queue and the
importer handler: each format, each way a file is refused, re-runs, and the round trip
export → import into a new project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.runtime import job_pollers
from tests.integration.api.test_exports import run_exports, seeded_project
from tests.integration.conftest import Api, Reply
from tests.integration.support import queue_depth

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"
TASK_FIELDS = ("title", "description", "status", "priority", "labels", "due_at")


def run_imports(config: LocalConfig) -> int:
    _, importer = job_pollers(config)
    done = 0
    while queue_depth(config, config.imports_queue_url):
        done += importer.poll(wait_seconds=0)
    return done


def create(api: Api, content: bytes, user: str = "user-a", **options: Any) -> Reply:
    body = {"file_name": "upload", "size": len(content), **options}
    return api.post("/imports", body, user=user)


def upload(form: dict[str, Any], content: bytes) -> None:
    response = httpx.post(
        form["url"], data=form["fields"], files={"file": ("upload", content)}, timeout=10
    )
    assert response.status_code in (200, 201, 204), response.text


def uploaded(api: Api, content: bytes, user: str = "user-a", **options: Any) -> str:
    created = create(api, content, user=user, **options)
    assert created.status == 201, created.body
    assert created.body["import"]["status"] == "awaiting_upload"
    upload(created.body["upload"], content)
    import_id: str = created.body["import"]["id"]
    return import_id


def imported(api: Api, config: LocalConfig, import_id: str, user: str = "user-a") -> Any:
    started = api.post(f"/imports/{import_id}/start", user=user)
    assert started.status == 202, started.body
    assert started.body["status"] == "queued"
    assert run_imports(config) == 1
    done = api.get(f"/imports/{import_id}", user=user)
    assert done.body["status"] == "done", done.body
    return done.body["report"]


def project_tasks(api: Api, project_id: str) -> list[dict[str, Any]]:
    reply = api.get(f"/projects/{project_id}/tasks", query={"limit": 100})
    assert reply.status == 200, reply.body
    items: list[dict[str, Any]] = reply.body["items"]
    return items


def test_a_todoist_file_dry_run_then_import_then_again_creates_nothing_twice(
    api: Api, exchange: LocalConfig, pg: Any
) -> None:
    content = (FIXTURES / "todoist.csv").read_bytes()
    import_id = uploaded(api, content, format="todoist", project_name="Von Todoist")
    dry = api.post(f"/imports/{import_id}/dry-run")
    assert dry.status == 200, dry.body
    assert dry.body["projects"] == 1
    assert dry.body["tasks"] > 0

    report = imported(api, exchange, import_id)
    assert report["tasks"] == dry.body["tasks"]
    assert report["skipped"] == 0
    (project_id,) = report["project_ids"]
    tasks = project_tasks(api, project_id)
    assert len(tasks) == dry.body["tasks"]
    assert "Milch kaufen" in {t["title"] for t in tasks}

    assert api.post(f"/imports/{import_id}/start").status == 409  # once
    # The same file with the same options, uploaded again: the same keys, claimed already.
    rerun = uploaded(api, content, format="todoist", project_name="Von Todoist")
    again = imported(api, exchange, rerun)
    assert (again["tasks"], again["skipped"]) == (0, dry.body["tasks"])
    assert again["project_ids"] == [project_id]
    assert len(project_tasks(api, project_id)) == len(tasks)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("trello-board.json", {"format": "trello"}),
        ("tasks.json", {"format": "tasklane"}),
        (
            "generic.csv",
            {
                "format": "csv",
                "mapping": {"title": "Task", "description": "Notes", "labels": "Tags"},
            },
        ),
    ],
)
def test_every_format_imports_what_its_dry_run_announced(
    api: Api, exchange: LocalConfig, pg: Any, name: str, options: dict[str, Any]
) -> None:
    import_id = uploaded(api, (FIXTURES / name).read_bytes(), **options)
    dry = api.post(f"/imports/{import_id}/dry-run")
    assert dry.status == 200, dry.body
    report = imported(api, exchange, import_id)
    assert report["tasks"] == dry.body["tasks"] > 0
    created = sum(len(project_tasks(api, p)) for p in report["project_ids"])
    assert created == report["tasks"]


def test_files_that_cannot_be_imported_are_4xx_never_5xx(
    api: Api, exchange: LocalConfig, pg: Any
) -> None:
    too_big = api.post("/imports", {"format": "trello", "file_name": "b.json", "size": 10**9})
    assert too_big.status == 413
    assert too_big.body["error"]["details"]["reason"] == "file_too_large"

    not_sent = create(api, b"{}", format="trello").body["import"]["id"]
    assert api.post(f"/imports/{not_sent}/dry-run").status == 409
    assert api.post(f"/imports/{not_sent}/start").status == 409

    malformed = uploaded(api, b'{"cards": [ {"name": ', format="trello")
    refused = api.post(f"/imports/{malformed}/dry-run")
    assert refused.status == 422, refused.body
    assert refused.body["error"]["details"]["reason"]

    wrong_columns = uploaded(api, b"Name,Notes\nA,b\n", format="csv", mapping={"title": "Task"})
    refused = api.post(f"/imports/{wrong_columns}/dry-run")
    assert refused.status == 422
    assert refused.body["error"]["details"]["reason"] == "wrong_columns"

    huge_row = b"Task,Notes\nA," + b"x" * (300 * 1024) + b"\n"
    huge = uploaded(api, huge_row, format="csv", mapping={"title": "Task", "description": "Notes"})
    refused = api.post(f"/imports/{huge}/dry-run")
    assert refused.status in (413, 422), refused.body

    # The real run of a file that cannot be read on ends done, with the refusal reported.
    report = imported(api, exchange, malformed)
    assert report["tasks"] == 0
    assert report["rejected"] is not None

    bad_options = api.post("/imports", {"format": "csv", "file_name": "a.csv", "size": 3})
    assert bad_options.status == 422
    assert api.get(f"/imports/{malformed}", user="user-b").status == 404
    assert api.post(f"/imports/{malformed}/dry-run", user="user-b").status == 404


def test_round_trip_an_export_imported_into_a_new_project_keeps_every_task_field(
    api: Api, exchange: LocalConfig, pg: Any
) -> None:
    pid, originals = seeded_project(api)
    export_id = api.post("/exports", {"project_id": pid}).body["id"]
    run_exports(exchange)
    link = api.get(f"/exports/{export_id}").body["download"]["url"]
    archive = httpx.get(link, timeout=10).content

    import_id = uploaded(api, archive, format="tasklane")
    report = imported(api, exchange, import_id)
    assert report["tasks"] == len(originals)
    (new_project,) = report["project_ids"]
    assert new_project != pid
    copies = {t["title"]: t for t in project_tasks(api, new_project)}
    for task in originals:
        copy = copies[task["title"]]
        assert {f: copy[f] for f in TASK_FIELDS} == {f: task[f] for f in TASK_FIELDS}
    comments = api.get(f"/tasks/{copies['Kisten packen']['id']}/comments").body["items"]
    assert any("Nicht vergessen ✔" in c["body"] for c in comments)
    assert json.loads(json.dumps(report))["problems"] is not None
