"""/me through the api handler: the profile created on first sight, and its changes."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tests.integration.conftest import Api, Statements


def test_me_is_created_once_then_read_without_an_upsert(
    api: Api, pg: Engine, statements: Statements
) -> None:
    first = api.get("/me")
    assert first.status == 200, first.body
    assert first.body["email"] == "user-a@example.com"
    assert first.body["time_zone"] == "UTC"
    assert first.body["notifications"]["events"]["task_due"] is True
    upserts = [s for s in statements.sql if "INSERT INTO profiles" in s]
    assert len(upserts) == 1
    statements.clear()
    assert api.get("/me").body == first.body
    api.get("/stats")
    assert not [s for s in statements.sql if "INSERT INTO profiles" in s]


def test_patch_me_validates(api: Api, pg: Engine) -> None:
    assert api.patch("/me", {"time_zone": "Mars/Olympus"}).status == 422
    assert api.patch("/me", {"time_zone": "../../etc/passwd"}).status == 422
    assert api.patch("/me", {"display_name": ""}).status == 422
    assert api.patch("/me", {"colour": "red"}).status == 422
    assert api.patch("/me", {"notifications": {"reminder_lead_minutes": -1}}).status == 422
    assert api.patch("/me", {"time_zone": None}).status == 422
    ok = api.patch(
        "/me",
        {
            "display_name": "Ada",
            "time_zone": "Europe/Berlin",
            "notifications": {"events": {"task_changed": False}, "reminder_lead_minutes": 15},
        },
    )
    assert ok.status == 200, ok.body
    got = api.get("/me").body
    assert (got["display_name"], got["time_zone"]) == ("Ada", "Europe/Berlin")
    assert got["notifications"]["events"]["task_changed"] is False
    assert got["notifications"]["events"]["task_due"] is True
    assert got["notifications"]["reminder_lead_minutes"] == 15


def test_an_unverified_address_is_never_stored_or_shown(api: Api, pg: Engine) -> None:
    """Finding 1: /me took the e-mail claim without email_verified. The attacker's token
    carries the victim's address, unverified (the pool would not have changed it)."""
    attacker = {"email": "victim@example.com", "email_verified": "false"}
    me = api.get("/me", user="mallory", claims=attacker)
    assert me.status == 200, me.body
    assert me.body["email"] == ""
    assert me.body["display_name"] == "user"  # not the victim's local part either
    # The name claim is a display name or nothing (finding 8).
    named = api.get("/me", user="eve", claims={"name": "Eve\r\nBcc: all@example.com"})
    assert named.body["display_name"] == "eve"


def test_the_profile_follows_a_verified_change(
    api: Api, pg: Engine, statements: Statements
) -> None:
    assert api.get("/me").body["email"] == "user-a@example.com"
    statements.clear()
    # The same container, a token with a newly verified address: the profile follows.
    moved = api.get("/me", claims={"email": "ada@newmail.example"})
    assert moved.body["email"] == "ada@newmail.example"
    assert [s for s in statements.sql if "INSERT INTO profiles" in s]
    # An unverified address in a later token changes nothing.
    kept = api.get("/me", claims={"email": "someone@else.example", "email_verified": "false"})
    assert kept.body["email"] == "ada@newmail.example"
