"""Sharing with PostgreSQL in the loop: finding users by their profile's e-mail, search and
stats following membership, the assignee in the projection, and the stream consumer that
unassigns a removed member — all through the api and events handlers, fed from moto's
stream."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import clients

from .helpers import drain, poller, projected_members

OWNER, MEMBER = "user-a", "user-b"


def sync(aws: LocalConfig) -> None:
    # Every consumer the events function has (tasklane.handlers.events.build_consumers).
    from tasklane.handlers.events import lambda_handler

    drain(poller(aws, lambda_handler))


def _share(api: Api, project_id: str, email: str, role: str = "editor", user: str = OWNER) -> Any:
    return api.post(f"/projects/{project_id}/members", {"email": email, "role": role}, user=user)


def _assignees(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT title, assignee_id FROM tasks")).all()
    return {row[0]: row[1] for row in rows}


def test_invitees_are_found_by_their_profile_email(api: Api, aws: LocalConfig, pg: Engine) -> None:
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    # Not signed in yet (no profile): not found, with its own code.
    unknown = _share(api, project, f"{MEMBER}@example.com")
    assert (unknown.status, unknown.error_code) == (404, "user_not_found")
    assert api.get("/me", user=MEMBER).status == 200  # their first request makes the profile
    assert api.patch("/me", {"display_name": "Bea"}, user=MEMBER).status == 200
    added = _share(api, project, f"  {MEMBER.upper()}@EXAMPLE.com ")
    assert added.status == 201, added.body
    assert (added.body["user_id"], added.body["email"], added.body["display_name"]) == (
        MEMBER,
        f"{MEMBER}@example.com",
        "Bea",
    )
    # Adding a member made the owner's own profile too: someone can now add them.
    other = api.post("/projects", {"name": "Theirs"}, user=MEMBER).body["id"]
    assert _share(api, other, f"{OWNER}@example.com", "viewer", user=MEMBER).status == 201


def test_the_email_lookup_can_use_its_index(pg: Engine) -> None:
    with pg.connect() as conn:
        # Two rows make a sequential scan cheapest; what matters is that the index fits.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = conn.execute(
            text(
                "EXPLAIN SELECT user_id FROM profiles WHERE lower(email) = lower('A@b.c') "
                "ORDER BY created_at DESC LIMIT 1"
            )
        ).all()
    assert "profiles_email_lower" in " ".join(str(row[0]) for row in plan)


def test_search_and_stats_follow_membership(api: Api, aws: LocalConfig, pg: Engine) -> None:
    api.get("/me", user=MEMBER)
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    api.post(f"/projects/{project}/tasks", {"title": "quarterly report", "priority": "high"})
    api.post("/projects/inbox/tasks", {"title": "private quarterly notes"})
    sync(aws)

    def found(user: str) -> list[str]:
        reply = api.get("/search", user=user, query={"q": "quarterly"})
        assert reply.status == 200, reply.body
        return [hit["task"]["title"] for hit in reply.body["items"]]

    def counted(user: str) -> dict[str, int]:
        reply = api.get("/stats", user=user)
        assert reply.status == 200, reply.body
        return {p["name"]: p["counts"]["total"] for p in reply.body["projects"]}

    assert found(MEMBER) == []
    assert "Shared" not in counted(MEMBER)

    assert _share(api, project, f"{MEMBER}@example.com", "viewer").status == 201
    sync(aws)
    assert (project, MEMBER, "viewer") in projected_members(pg)
    assert found(MEMBER) == ["quarterly report"]
    assert counted(MEMBER)["Shared"] == 1
    assert sorted(found(OWNER)) == ["private quarterly notes", "quarterly report"]

    assert api.delete(f"/projects/{project}/members/{MEMBER}").status == 204
    sync(aws)
    assert found(MEMBER) == []
    assert "Shared" not in counted(MEMBER)


def test_assignees_are_projected_and_cleared_when_a_member_goes(
    api: Api, aws: LocalConfig, pg: Engine
) -> None:
    api.get("/me", user=MEMBER)
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    assert _share(api, project, f"{MEMBER}@example.com").status == 201
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

    # Deleting a task deletes its comments (the same consumer, from the task's REMOVE).
    api.post(f"/tasks/{theirs['id']}/comments", {"body": "one more"})
    assert api.delete(f"/tasks/{theirs['id']}").status == 204
    sync(aws)
    left = clients().dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues={":pk": {"S": f"PROJECT#{project}"}, ":c": {"S": "COMMENT#"}},
    )
    assert left["Items"] == []
