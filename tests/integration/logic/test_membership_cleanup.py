"""The membership clean-up consumer, fed from moto's stream: the assignee is projected,
and a removed member's assignments (and a deleted task's comments) go."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import clients, share, sync

OWNER, MEMBER = "user-a", "user-b"


def _assignees(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT title, assignee_id FROM tasks")).all()
    return {row[0]: row[1] for row in rows}


def test_assignees_are_projected_and_cleared_when_a_member_goes(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    api.get("/me", user=MEMBER)
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    assert share(api, project, f"{MEMBER}@example.com").status == 200
    theirs = api.post(f"/projects/{project}/tasks", {"title": "theirs", "assignee_id": MEMBER}).body
    api.post(f"/projects/{project}/tasks", {"title": "mine", "assignee_id": OWNER})
    inbox = api.post(
        "/projects/inbox/tasks", {"title": "in their inbox", "assignee_id": MEMBER}, user=MEMBER
    ).body
    comment = api.post(f"/tasks/{theirs['id']}/comments", {"body": "on it"}, user=MEMBER)
    assert comment.status == 201
    sync(aws)
    assert _assignees(pg) == {"theirs": MEMBER, "mine": OWNER, "in their inbox": MEMBER}
    assigned = api.get("/tasks", user=MEMBER, query={"assignee": "me"}).body["items"]
    assert {t["id"] for t in assigned} == {theirs["id"], inbox["id"]}

    assert api.delete(f"/projects/{project}/members/{MEMBER}", user=MEMBER).status == 204
    sync(aws)  # the member's REMOVE: the cleanup unassigns, whose MODIFY is projected
    assert [
        t["id"] for t in api.get("/tasks", user=MEMBER, query={"assignee": "me"}).body["items"]
    ] == [inbox["id"]]
    after = api.get(f"/tasks/{theirs['id']}").body
    assert (after["assignee_id"], after["version"], after["updated_by"]) == (None, 2, MEMBER)
    assert _assignees(pg) == {"theirs": None, "mine": OWNER, "in their inbox": MEMBER}

    # Deleting a task for good deletes its comments (the same consumer, from the task's
    # REMOVE; a task in the trash keeps them until it is purged).
    api.post(f"/tasks/{theirs['id']}/comments", {"body": "one more"})
    assert api.delete(f"/tasks/{theirs['id']}", query={"permanent": "true"}).status == 204
    sync(aws)
    left = clients().dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues={":pk": {"S": f"PROJECT#{project}"}, ":c": {"S": "COMMENT#"}},
    )
    assert left["Items"] == []
