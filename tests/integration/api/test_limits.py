"""Per-user quotas over the api handler (issue 14, finding 6): tasks per project, comments
per task and upload forms per user per day, each counted in the write's own transaction
(a write stays one TransactWriteItems). Projects, members and invitations are tested with
their own routes (test_projects, test_invitations)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tasklane.settings import Env
from tests.integration.api.test_attachments import PDF, start
from tests.integration.api.test_imports import imported, project_tasks, uploaded
from tests.integration.conftest import Api, AwsCalls
from tests.integration.support import settings_environment

pytestmark = pytest.mark.integration


@pytest.fixture
def limits(pg: Engine) -> Iterator[None]:
    """Small limits for this test (the functions' containers read them)."""
    with settings_environment(
        {
            Env.LIMIT_TASKS_PER_PROJECT: "2",
            Env.LIMIT_COMMENTS_PER_TASK: "2",
            Env.LIMIT_ATTACHMENTS_PER_DAY: "2",
        }
    ):
        yield


@pytest.fixture
def project(api: Api, limits: None) -> str:
    project_id: str = api.post("/projects", {"name": "Limited"}).body["id"]
    return project_id


def _task(api: Api, project: str, title: str) -> Any:
    return api.post(f"/projects/{project}/tasks", {"title": title})


# Tasks per project -------------------------------------------------------------------------
def test_tasks_per_project_count_live_tasks(api: Api, project: str, aws_calls: AwsCalls) -> None:
    first = _task(api, project, "one").body["id"]
    second = _task(api, project, "two").body["id"]
    aws_calls.clear()
    third = _task(api, project, "three")
    assert (third.status, third.error_code) == (409, "limit_reached")
    assert third.body["error"]["details"] == {"limit": "tasks_per_project", "max": 2}
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}  # refused by the write

    # The trash frees a place; restoring counts again, so it is refused while full.
    assert api.delete(f"/tasks/{first}").status == 204
    assert _task(api, project, "three").status == 201
    full = api.post(f"/tasks/{first}/restore")
    assert (full.status, full.error_code) == (409, "limit_reached")
    # Purging from the trash frees nothing more (the first try finds the task trashed: two
    # requests); a live task's permanent delete does, in one.
    aws_calls.clear()
    assert api.delete(f"/tasks/{first}", query={"permanent": "true"}).status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 2}
    assert _task(api, project, "four").status == 409
    aws_calls.clear()
    assert api.delete(f"/tasks/{second}", query={"permanent": "true"}).status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    assert _task(api, project, "four").status == 201
    assert sorted(t["title"] for t in project_tasks(api, project)) == ["four", "three"]


def test_an_import_stops_at_the_task_limit_and_says_so(
    api: Api, exchange: LocalConfig, limits: None
) -> None:
    content = b"Task\n" + b"".join(f"row {n}\n".encode() for n in range(5))
    import_id = uploaded(api, content, format="csv", mapping={"title": "Task"})
    report = imported(api, exchange, import_id)
    assert report["tasks"] == 2
    assert report["rejected"]["status"] == 409
    assert report["rejected"]["code"] == "limit_reached"
    assert report["rejected"]["details"] == {"limit": "tasks_per_project", "max": 2}
    (project_id,) = report["project_ids"]
    assert len(project_tasks(api, project_id)) == 2


# Comments per task -------------------------------------------------------------------------
def test_comments_per_task_are_limited(api: Api, project: str, aws_calls: AwsCalls) -> None:
    task = _task(api, project, "discussed").body["id"]
    comments = f"/tasks/{task}/comments"
    first = api.post(comments, {"body": "one"}).body["id"]
    assert api.post(comments, {"body": "two"}).status == 201
    aws_calls.clear()
    third = api.post(comments, {"body": "three"})
    assert (third.status, third.error_code) == (409, "limit_reached")
    assert third.body["error"]["details"] == {"limit": "comments_per_task", "max": 2}
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    aws_calls.clear()
    assert api.delete(f"{comments}/{first}").status == 204  # frees a place
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    assert api.post(comments, {"body": "three"}).status == 201
    listed = api.get(comments).body["items"]
    assert [c["body"] for c in listed] == ["two", "three"]
    # The count is the task's: another task takes comments; the task reads as before.
    other = _task(api, project, "other").body["id"]
    assert api.post(f"/tasks/{other}/comments", {"body": "fine"}).status == 201
    assert "comment_count" not in api.get(f"/tasks/{task}").body


# Upload forms per user per day -------------------------------------------------------------
def test_attachments_per_user_per_day_are_rate_limited(
    api: Api, project: str, aws_calls: AwsCalls
) -> None:
    task = _task(api, project, "with files").body["id"]
    first = start(api, task, PDF)
    assert first.status == 201, first.body
    assert start(api, task, PDF).status == 201
    aws_calls.clear()
    third = start(api, task, PDF)
    assert (third.status, third.error_code) == (429, "rate_limited")
    assert third.body["error"]["details"] == {"limit": "attachments_per_day", "max": 2}
    assert 0 < int(third.headers["retry-after"]) <= 86400
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    # A rate, not a count: deleting gives no form back.
    attachment = first.body["attachment"]["id"]
    assert api.delete(f"/tasks/{task}/attachments/{attachment}").status == 204
    assert start(api, task, PDF).status == 429
