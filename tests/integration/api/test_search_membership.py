"""Search and stats follow membership: a member sees a shared project's tasks, and stops
seeing them when they leave."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import projected_members, share, sync

OWNER, MEMBER = "user-a", "user-b"


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

    assert share(api, project, f"{MEMBER}@example.com", "viewer").status == 200
    sync(aws)
    assert (project, MEMBER, "viewer") in projected_members(pg)
    assert found(MEMBER) == ["quarterly report"]
    assert counted(MEMBER)["Shared"] == 1
    assert sorted(found(OWNER)) == ["private quarterly notes", "quarterly report"]

    assert api.delete(f"/projects/{project}/members/{MEMBER}").status == 204
    sync(aws)
    assert found(MEMBER) == []
    assert "Shared" not in counted(MEMBER)
