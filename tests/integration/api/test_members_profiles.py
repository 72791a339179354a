"""Sharing with the real user directory: invitees found by their profile's e-mail."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import share

OWNER, MEMBER = "user-a", "user-b"


def test_invitees_are_found_by_their_profile_email(api: Api, aws: LocalConfig, pg: Engine) -> None:
    project = api.post("/projects", {"name": "Shared"}).body["id"]
    # Not signed in yet (no profile): not found, with its own code.
    unknown = share(api, project, f"{MEMBER}@example.com")
    assert (unknown.status, unknown.error_code) == (404, "user_not_found")
    assert api.get("/me", user=MEMBER).status == 200  # their first request makes the profile
    assert api.patch("/me", {"display_name": "Bea"}, user=MEMBER).status == 200
    added = share(api, project, f"  {MEMBER.upper()}@EXAMPLE.com ")
    assert added.status == 201, added.body
    assert (added.body["user_id"], added.body["email"], added.body["display_name"]) == (
        MEMBER,
        f"{MEMBER}@example.com",
        "Bea",
    )
    # Adding a member made the owner's own profile too: someone can now add them.
    other = api.post("/projects", {"name": "Theirs"}, user=MEMBER).body["id"]
    assert share(api, other, f"{OWNER}@example.com", "viewer", user=MEMBER).status == 201
