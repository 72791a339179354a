# Fixtures are shared by import from the members tests: their names recur as parameters.
# ruff: noqa: F811
"""The trash over the api handler, against moto and the projection in PostgreSQL: a
deleted task leaves every list, search and stats; restore brings it back whole; the
purge (TTL's REMOVE, here a plain DeleteItem: moto runs no TTL) takes its children."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb import items as it
from tasklane.local.bootstrap import LocalConfig
from tests.integration.api.test_attachments import PDF, attach, versions
from tests.integration.api.test_members import (  # noqa: F401 - fixtures
    EDITOR,
    OWNER,
    VIEWER,
    people,
    project,
)
from tests.integration.conftest import Api, AwsCalls
from tests.integration.support import clients, projected_tasks, sync


def _task(api: Api, project: str, **fields: Any) -> dict[str, Any]:
    reply = api.post(f"/projects/{project}/tasks", {"title": "Quarterly report", **fields})
    assert reply.status == 201, reply.body
    task: dict[str, Any] = reply.body
    return task


def _listed(api: Api, project: str) -> list[str]:
    return [t["id"] for t in api.get(f"/projects/{project}/tasks").body["items"]]


def _searched(api: Api, q: str) -> list[str]:
    reply = api.get("/search", query={"q": q})
    assert reply.status == 200, reply.body
    return [hit["task"]["id"] for hit in reply.body["items"]]


def _trash(api: Api, project: str, user: str = OWNER) -> list[str]:
    reply = api.get(f"/projects/{project}/trash", user=user)
    assert reply.status == 200, reply.body
    return [t["id"] for t in reply.body["items"]]


def test_delete_moves_to_the_trash_and_restore_brings_it_back_whole(
    api: Api, aws: LocalConfig, pg: Engine, project: str
) -> None:
    task = _task(api, project, assignee_id=EDITOR, labels=["finance"])
    kept = _task(api, project, title="kept")
    item = api.post(f"/tasks/{task['id']}/checklist", {"text": "collect numbers"}).body
    assert api.post(f"/tasks/{task['id']}/comments", {"body": "on it"}).status == 201
    attachment = attach(api, task["id"], PDF)
    sync(aws)
    assert _searched(api, "quarterly") == [task["id"]]

    assert api.delete(f"/tasks/{task['id']}", user=VIEWER).status == 403
    assert api.delete(f"/tasks/{task['id']}", user=EDITOR).status == 204
    sync(aws)
    # Gone from every read...
    assert api.get(f"/tasks/{task['id']}").status == 404
    assert _listed(api, project) == [kept["id"]]
    assert api.get("/tasks", query={"assignee": "me"}, user=EDITOR).body["items"] == []
    assert _searched(api, "quarterly") == []
    counts = {p["project_id"]: p["counts"]["total"] for p in api.get("/stats").body["projects"]}
    assert counts[project] == 1
    assert api.get(f"/tasks/{task['id']}/comments").status == 404
    assert api.get(f"/tasks/{task['id']}/attachments").status == 404
    assert api.post(f"/tasks/{task['id']}/comments", {"body": "x"}).status == 404
    assert api.patch(f"/tasks/{task['id']}", {"title": "x"}).status == 404
    assert api.delete(f"/tasks/{task['id']}").status == 404  # in the trash already
    # ...but in the trash, for every member.
    listed = api.get(f"/projects/{project}/trash", user=VIEWER).body["items"]
    assert [(t["id"], t["deleted_by"]) for t in listed] == [(task["id"], EDITOR)]
    assert listed[0]["purge_at"] > listed[0]["deleted_at"]

    assert api.post(f"/tasks/{task['id']}/restore", user=VIEWER).status == 403
    restored = api.post(f"/tasks/{task['id']}/restore", user=EDITOR)
    assert restored.status == 200, restored.body
    assert restored.body["deleted_at"] is None
    sync(aws)
    back = api.get(f"/tasks/{task['id']}").body
    assert {k: back[k] for k in ("title", "labels", "assignee_id")} == {
        "title": "Quarterly report",
        "labels": ["finance"],
        "assignee_id": EDITOR,
    }
    assert [i["id"] for i in back["checklist"]] == [item["id"]]
    assert [c["body"] for c in api.get(f"/tasks/{task['id']}/comments").body["items"]] == ["on it"]
    files = api.get(f"/tasks/{task['id']}/attachments").body["items"]
    assert [f["id"] for f in files] == [attachment["id"]]
    assert _searched(api, "quarterly") == [task["id"]]
    assert _trash(api, project) == []
    assert api.post(f"/tasks/{task['id']}/restore").error_code == "conflict"


def test_the_purge_takes_comments_objects_and_the_projection_row(
    api: Api, aws: LocalConfig, pg: Engine, project: str
) -> None:
    task = _task(api, project)
    api.post(f"/tasks/{task['id']}/comments", {"body": "gone with it"})
    attachment = attach(api, task["id"], PDF)
    project_id, task_ulid = task["id"].split("-")
    prefix = f"attachments/{project_id}/{task_ulid}/"
    assert api.delete(f"/tasks/{task['id']}").status == 204
    sync(aws)
    assert task["id"] in projected_tasks(pg)  # hidden, kept: a restore brings it back
    assert versions(aws, prefix) == [f"{prefix}{attachment['id']}"]

    # What TTL does at purge_at: the item's REMOVE on the stream.
    clients().dynamodb.delete_item(TableName=aws.table_name, Key=it.task_key(task["id"]))
    sync(aws)
    assert versions(aws, prefix) == []
    assert task["id"] not in projected_tasks(pg)
    leftovers = clients().dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": it.project_pk(project_id)}},
    )["Items"]
    assert [i["sk"]["S"] for i in leftovers if task_ulid in i["sk"]["S"]] == []
    assert _trash(api, project) == []
    assert api.post(f"/tasks/{task['id']}/restore").status == 404


def test_a_permanent_delete_skips_the_trash(
    api: Api, aws: LocalConfig, pg: Engine, project: str
) -> None:
    task = _task(api, project)
    assert api.delete(f"/tasks/{task['id']}", query={"permanent": "true"}, user=VIEWER).status == (
        403
    )
    assert api.delete(f"/tasks/{task['id']}", query={"permanent": "true"}).status == 204
    sync(aws)
    assert _trash(api, project) == []
    assert task["id"] not in projected_tasks(pg)
    # From the trash too.
    other = _task(api, project)
    assert api.delete(f"/tasks/{other['id']}").status == 204
    assert api.delete(f"/tasks/{other['id']}", query={"permanent": "true"}).status == 204
    assert _trash(api, project) == []


def test_restore_refuses_an_assignee_who_left_unless_unassigned(api: Api, project: str) -> None:
    task = _task(api, project, assignee_id=VIEWER)
    assert api.delete(f"/tasks/{task['id']}").status == 204
    assert api.delete(f"/projects/{project}/members/{VIEWER}", user=VIEWER).status == 204
    refused = api.post(f"/tasks/{task['id']}/restore")
    assert refused.status == 409
    assert refused.body["error"]["details"]["reason"] == "assignee_not_member"
    restored = api.post(f"/tasks/{task['id']}/restore", query={"unassign": "true"})
    assert restored.status == 200, restored.body
    assert restored.body["assignee_id"] is None


def test_round_trips_of_the_trash(api: Api, project: str, aws_calls: AwsCalls) -> None:
    task = _task(api, project)
    for n in range(30):
        api.post(f"/tasks/{task['id']}/comments", {"body": f"comment {n}"})
    aws_calls.clear()
    assert api.delete(f"/tasks/{task['id']}").status == 204
    assert dict(aws_calls.operations) == {"TransactWriteItems": 1}
    aws_calls.clear()
    assert len(_trash(api, project)) == 1
    assert dict(aws_calls.operations) == {"GetItem": 1, "Query": 1}
    # Restore: one read and one write, however many children (they never moved).
    aws_calls.clear()
    assert api.post(f"/tasks/{task['id']}/restore").status == 200
    assert dict(aws_calls.operations) == {"BatchGetItem": 1, "TransactWriteItems": 1}
