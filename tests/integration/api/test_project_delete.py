"""Deleting a project (issue 14, finding 7): gone for every member at once, purged from the
stream in the background, a crashed purge resumed, a repeated delete answered the same.

Over the api handler, the events handler (through the local stream poller, whose
redelivery follows ``ReportBatchItemFailures``), moto's DynamoDB and S3, and the embedded
PostgreSQL projection.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb.project_purge import DynamoProjectPurge
from tasklane.dal.dynamodb.table import Table
from tasklane.dal.storage import S3Storage
from tasklane.domain.models import utc_now
from tasklane.domain.project_purge import STALLED_AFTER
from tasklane.local.bootstrap import LocalConfig
from tasklane.logic.project_purge import ProjectPurge, resume_stalled
from tests.integration.api.test_attachments import attach
from tests.integration.conftest import Api
from tests.integration.support import clients, projected_members, share, sync

pytestmark = pytest.mark.integration

OWNER, MEMBER = "user-a", "user-b"


class FailingPurge(DynamoProjectPurge):
    """Fails its ``fail_at``-th batch (a timed-out pass), ``times`` times in a row."""

    def __init__(self, table: Table, fail_at: int, times: int = 1) -> None:
        super().__init__(table)
        self.batches = 0
        self.fail_at = fail_at
        self.failures_left = times
        self.batch_sizes: list[int] = []

    def delete_items(self, project_id: str, sort_keys: list[str]) -> int:
        self.batches += 1
        if self.batches >= self.fail_at and self.failures_left > 0:
            self.failures_left -= 1
            raise RuntimeError("the pass timed out")
        self.batch_sizes.append(len(sort_keys))
        return super().delete_items(project_id, sort_keys)


def _purge_with(aws: LocalConfig, store: FailingPurge, max_items: int) -> None:
    """The events function's purge consumer, replaced (the others stay as wired)."""
    from tasklane.wiring.events import root

    consumers = root.get().consumers
    storage = S3Storage(aws.bucket_name, lambda: clients().s3)
    assert consumers[-1].name == "project_purge"
    consumers[-1] = ProjectPurge(store, storage, max_items=max_items)


def _left_in_table(aws: LocalConfig, project_id: str) -> list[str]:
    found = clients().dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PROJECT#{project_id}"}},
        ConsistentRead=True,
    )
    return [item["sk"]["S"] for item in found["Items"]]


def _objects(aws: LocalConfig, project_id: str) -> list[str]:
    found = clients().s3.list_object_versions(
        Bucket=aws.bucket_name, Prefix=f"attachments/{project_id}/"
    )
    return [v["Key"] for v in found.get("Versions", []) + found.get("DeleteMarkers", [])]


_COUNTS = text(
    "SELECT (SELECT count(*) FROM projects WHERE project_id = :id), "
    "(SELECT count(*) FROM project_members WHERE project_id = :id), "
    "(SELECT count(*) FROM tasks WHERE project_id = :id)"
)


def _projected(pg: Engine, project_id: str) -> tuple[int, int, int]:
    """The project's rows in the projection: (projects, memberships, tasks)."""
    with pg.connect() as conn:
        row = conn.execute(_COUNTS, {"id": project_id}).one()
    return int(row[0]), int(row[1]), int(row[2])


def _build(api: Api, aws: LocalConfig) -> tuple[str, list[str], str, str]:
    """A shared project: 30 tasks, a comment, a checklist item, an attachment (an object)."""
    api.get("/me", user=MEMBER)
    project = api.post("/projects", {"name": "Doomed"}).body["id"]
    assert share(api, project, f"{MEMBER}@example.com", "editor").status == 200
    tasks = [
        api.post(f"/projects/{project}/tasks", {"title": f"quarterly {n}"}).body["id"]
        for n in range(30)
    ]
    comment = api.post(f"/tasks/{tasks[0]}/comments", {"body": "see the file"}, user=MEMBER)
    assert comment.status == 201, comment.body
    assert api.post(f"/tasks/{tasks[0]}/checklist", {"text": "check"}).status == 201
    attachment = attach(api, tasks[0])
    sync(aws)
    assert _objects(aws, project)
    return project, tasks, comment.body["id"], attachment["id"]


def test_every_former_member_loses_the_project_at_once_and_the_purge_resumes(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    project, tasks, comment, attachment = _build(api, aws)
    assert _projected(pg, project) == (1, 2, 30)
    first = tasks[0]
    reads = [
        f"/projects/{project}",
        f"/projects/{project}/tasks",
        f"/projects/{project}/members",
        f"/projects/{project}/activity",
        f"/projects/{project}/trash",
        f"/tasks/{first}",
        f"/tasks/{first}/comments",
        f"/tasks/{first}/attachments",
        f"/tasks/{first}/attachments/{attachment}",
        f"/tasks/{first}/activity",
    ]
    for path in reads:
        assert api.get(path, user=MEMBER).status == 200, path

    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 204

    # Before the stream has run: nothing answers to either of them, nothing is written.
    for user in (OWNER, MEMBER):
        for path in reads:
            assert api.get(path, user=user).status == 404, (user, path)
        assert (
            api.get(f"/projects/{project}/tasks", user=user, query={"sort": "position"}).status
            == 404
        )
        assert project not in [p["id"] for p in api.get("/projects", user=user).body["items"]]
        assert api.post(f"/projects/{project}/tasks", {"title": "x"}, user=user).status == 404
        assert api.patch(f"/tasks/{first}", {"title": "x"}, user=user).status == 404
        assert api.post(f"/tasks/{first}/comments", {"body": "x"}, user=user).status == 404
        assert (
            api.patch(f"/tasks/{first}/comments/{comment}", {"body": "x"}, user=user).status == 404
        )
    # The owner's repeated delete answers as the first did; a former member's does not.
    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 204
    assert api.delete(f"/projects/{project}", user=MEMBER).status == 404

    # The purge, 25 items a pass, dies on its second batch once; the stream redelivers.
    store = FailingPurge(Table(aws.table_name, lambda: clients().dynamodb), fail_at=2)
    _purge_with(aws, store, max_items=25)
    sync(aws)
    assert store.failures_left == 0
    assert _left_in_table(aws, project) == []
    assert _objects(aws, project) == []
    assert _projected(pg, project) == (0, 0, 0)
    assert (project, MEMBER, "editor") not in projected_members(pg)
    assert all(size <= 25 for size in store.batch_sizes)  # one BatchWriteItem each
    # Purged: now the project is unknown to its owner too.
    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 404


def test_a_purge_whose_retries_ran_out_is_resumed_by_the_sweeper(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    project, _, _, _ = _build(api, aws)
    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 204
    # Every delivery fails (the poller skips the record after its last attempt).
    store = FailingPurge(Table(aws.table_name, lambda: clients().dynamodb), 1, times=100)
    _purge_with(aws, store, max_items=25)
    sync(aws)
    left = _left_in_table(aws, project)
    assert "PROJECT" in left
    assert len(left) > 1
    assert api.delete(f"/projects/{project}", query={"force": "true"}).status == 204
    assert _projected(pg, project) == (0, 0, 0)  # the projection did not wait

    store.failures_left = 0
    assert resume_stalled(store, utc_now() + timedelta(minutes=1)) == 0  # not stalled yet
    assert resume_stalled(store, utc_now() + STALLED_AFTER + timedelta(minutes=1)) == 1
    sync(aws)
    assert _left_in_table(aws, project) == []
    assert _objects(aws, project) == []
