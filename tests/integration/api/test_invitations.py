"""Invitations over the api handler, against moto and the PostgreSQL profiles: inviting,
the invitee's list, accepting, declining, revoking, expiry, the limits, and the attempts to
take someone else's invitation (finding 1 and 2 of issue 14).

The claims' address is ``<user>@example.com``, verified, unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tasklane.local.launcher import update_environ
from tasklane.settings import Env
from tasklane.wiring import functions
from tests.integration.conftest import Api, AwsCalls, Reply
from tests.integration.support import invite, settings_environment

OWNER, INVITEE, ATTACKER, OTHER = "user-a", "user-b", "user-m", "user-c"
VICTIM_EMAIL = f"{INVITEE}@example.com"


@pytest.fixture
def project(api: Api, pg: Engine) -> str:
    project_id: str = api.post("/projects", {"name": "Launch"}).body["id"]
    return project_id


@pytest.fixture
def limits(pg: Engine) -> Iterator[None]:
    """Small limits for this test (the api function's container reads them)."""
    with settings_environment(
        {
            Env.LIMIT_PENDING_INVITATIONS: "2",
            Env.LIMIT_INVITATIONS_PER_DAY: "3",
            Env.LIMIT_MEMBERS_PER_PROJECT: "1",
        }
    ):
        yield


def mine(api: Api, user: str, **kwargs: Any) -> list[str]:
    reply = api.get("/invitations", user=user, **kwargs)
    assert reply.status == 200, reply.body
    return [i["id"] for i in reply.body["items"]]


def members(api: Api, project_id: str) -> list[str]:
    return [m["user_id"] for m in api.get(f"/projects/{project_id}/members").body["items"]]


def accept(api: Api, invitation_id: str, user: str, **kwargs: Any) -> Reply:
    return api.post(f"/invitations/{invitation_id}/accept", user=user, **kwargs)


# The invitee ------------------------------------------------------------------------------
def test_invite_list_and_accept(api: Api, project: str) -> None:
    made = invite(api, project, f"  {INVITEE.upper()}@EXAMPLE.com ", "viewer")
    assert made.status == 202, made.body
    assert made.body["status"] == "pending"
    assert (made.body["project_name"], made.body["role"]) == ("Launch", "viewer")
    assert members(api, project) == [OWNER]  # not a member before accepting
    assert api.get(f"/projects/{project}", user=INVITEE).status == 404
    assert mine(api, INVITEE) == [made.body["id"]]
    pending = api.get(f"/projects/{project}/invitations").body["items"]
    assert [i["id"] for i in pending] == [made.body["id"]]

    accepted = accept(api, made.body["id"], INVITEE)
    assert (accepted.status, accepted.body["status"]) == (200, "accepted")
    assert members(api, project) == [OWNER, INVITEE]
    assert api.get(f"/projects/{project}", user=INVITEE).body["role"] == "viewer"
    assert mine(api, INVITEE) == []
    assert api.get(f"/projects/{project}/invitations").body["items"] == []
    again = accept(api, made.body["id"], INVITEE)
    assert (again.status, again.error_code) == (404, "not_found")


def test_decline(api: Api, project: str) -> None:
    made = invite(api, project, VICTIM_EMAIL).body["id"]
    assert api.post(f"/invitations/{made}/decline", user=INVITEE).status == 204
    assert mine(api, INVITEE) == []
    assert accept(api, made, INVITEE).status == 404
    assert members(api, project) == [OWNER]


def test_the_owner_revokes(api: Api, project: str) -> None:
    made = invite(api, project, VICTIM_EMAIL).body["id"]
    assert api.delete(f"/projects/{project}/invitations/{made}", user=OTHER).status == 404
    assert api.delete(f"/projects/{project}/invitations/{made}").status == 204
    assert mine(api, INVITEE) == []
    assert accept(api, made, INVITEE).status == 404
    assert api.delete(f"/projects/{project}/invitations/{made}").status == 404


def test_an_expired_invitation_is_gone(api: Api, project: str) -> None:
    saved = update_environ({Env.INVITATION_DAYS: "0"})  # expires as it is made
    functions.reset()
    try:
        made = invite(api, project, VICTIM_EMAIL)
        assert made.status == 202, made.body
        assert mine(api, INVITEE) == []
        assert accept(api, made.body["id"], INVITEE).status == 404
        assert members(api, project) == [OWNER]
    finally:
        update_environ(saved)
        functions.reset()


def test_the_same_answer_whether_or_not_the_address_has_an_account(api: Api, project: str) -> None:
    assert api.get("/me", user=INVITEE).status == 200  # INVITEE has a profile now
    known = invite(api, project, VICTIM_EMAIL)
    unknown = invite(api, project, "nobody-yet@example.com")
    assert (known.status, unknown.status) == (202, 202)
    assert set(known.body) == set(unknown.body)
    assert known.headers.keys() == unknown.headers.keys()
    for field in ("project_id", "role", "status", "invited_by"):
        assert known.body[field] == unknown.body[field]


def test_an_address_without_an_account_signs_up_later(api: Api, project: str) -> None:
    made = invite(api, project, "newcomer@example.com", "editor").body["id"]
    # Signed up, address verified: their first request makes the profile.
    claims = {"email": "newcomer@example.com", "email_verified": True}
    assert mine(api, "user-new", claims=claims) == [made]
    assert accept(api, made, "user-new", claims=claims).status == 200
    assert members(api, project) == [OWNER, "user-new"]


# Attacks -----------------------------------------------------------------------------------
def test_an_unverified_address_never_receives_an_invitation(api: Api, project: str) -> None:
    """Finding 1: the attacker changed their address to the victim's (unverified)."""
    stolen = {"email": VICTIM_EMAIL, "email_verified": False}
    me = api.get("/me", user=ATTACKER, claims=stolen)
    assert me.status == 200
    assert me.body["email"] != VICTIM_EMAIL  # never stored nor shown
    made = invite(api, project, VICTIM_EMAIL).body["id"]
    assert mine(api, ATTACKER, claims=stolen) == []
    refused = accept(api, made, ATTACKER, claims=stolen)
    assert (refused.status, refused.error_code) == (404, "not_found")
    assert api.post(f"/invitations/{made}/decline", user=ATTACKER, claims=stolen).status == 404
    assert api.get(f"/projects/{project}", user=ATTACKER, claims=stolen).status == 404
    # The victim still has it.
    assert accept(api, made, INVITEE).status == 200
    assert members(api, project) == [OWNER, INVITEE]


def test_someone_elses_invitation_is_unknown(api: Api, project: str) -> None:
    made = invite(api, project, VICTIM_EMAIL).body["id"]
    assert mine(api, OTHER) == []
    for action in ("accept", "decline"):
        reply = api.post(f"/invitations/{made}/{action}", user=OTHER)
        assert (reply.status, reply.error_code) == (404, "not_found")
    for bad in ("x", "x" * 2000, f"{project}-{'0' * 26}"):
        assert accept(api, bad, INVITEE).status == 404


def test_only_the_owner_invites_and_sees_the_pending(api: Api, project: str) -> None:
    made = invite(api, project, f"{OTHER}@example.com", "editor").body["id"]
    assert accept(api, made, OTHER).status == 200
    by_editor = invite(api, project, VICTIM_EMAIL, user=OTHER)
    assert (by_editor.status, by_editor.error_code) == (403, "forbidden")
    by_stranger = invite(api, project, VICTIM_EMAIL, user=ATTACKER)
    assert (by_stranger.status, by_stranger.error_code) == (404, "not_found")
    assert api.get(f"/projects/{project}/invitations", user=OTHER).status == 403
    assert api.get(f"/projects/{project}/invitations", user=ATTACKER).status == 404
    inbox = invite(api, "inbox", VICTIM_EMAIL)
    assert (inbox.status, inbox.error_code) == (409, "conflict")
    own = invite(api, project, f"{OWNER}@example.com")
    assert (own.status, own.error_code) == (409, "conflict")


# Limits ------------------------------------------------------------------------------------
def test_pending_invitations_are_limited(api: Api, project: str, limits: None) -> None:
    first = invite(api, project, "one@example.com").body["id"]
    assert invite(api, project, "two@example.com").status == 202
    third = invite(api, project, "three@example.com")
    assert (third.status, third.error_code) == (409, "limit_reached")
    assert third.body["error"]["details"] == {"limit": "pending_invitations", "max": 2}
    # Revoking frees a place (the day's count is separate: 3 a day).
    assert api.delete(f"/projects/{project}/invitations/{first}").status == 204
    assert invite(api, project, "three@example.com").status == 202
    assert api.delete(f"/projects/{project}/invitations/{first}").status == 404


def test_invitations_per_day_are_limited(api: Api, project: str, limits: None) -> None:
    for n in range(3):
        made = invite(api, project, f"n{n}@example.com").body["id"]
        assert api.delete(f"/projects/{project}/invitations/{made}").status == 204
    fourth = invite(api, project, "n4@example.com")
    assert (fourth.status, fourth.error_code) == (429, "rate_limited")
    assert 0 < int(fourth.headers["retry-after"]) <= 86400


def test_members_per_project_are_limited(api: Api, project: str, limits: None) -> None:
    first = invite(api, project, VICTIM_EMAIL).body["id"]
    second = invite(api, project, f"{OTHER}@example.com").body["id"]
    assert accept(api, first, INVITEE).status == 200
    full = accept(api, second, OTHER)
    assert (full.status, full.error_code) == (409, "limit_reached")
    assert mine(api, OTHER) == [second]  # still pending: a removal makes room
    assert api.delete(f"/projects/{project}/members/{INVITEE}").status == 204
    assert accept(api, second, OTHER).status == 200
    assert members(api, project) == [OWNER, OTHER]


# DynamoDB requests (docs/api.md's table) ---------------------------------------------------
def test_round_trips(api: Api, project: str, aws_calls: AwsCalls) -> None:
    def count(call: Any) -> dict[str, int]:
        aws_calls.clear()
        reply = call()
        assert reply.status < 300, reply.body
        return dict(aws_calls.operations)

    first = invite(api, project, VICTIM_EMAIL).body["id"]
    second = invite(api, project, "someone@example.com").body["id"]
    mine(api, INVITEE)  # the profile exists: what follows reads no more of PostgreSQL
    assert count(lambda: api.get("/invitations", user=INVITEE)) == {"Query": 1}
    listed = count(lambda: api.get(f"/projects/{project}/invitations"))
    assert listed == {"GetItem": 1, "Query": 1}
    revoke = f"/projects/{project}/invitations/{second}"
    assert count(lambda: api.delete(revoke)) == {"GetItem": 1, "TransactWriteItems": 1}
    decline = f"/invitations/{first}/decline"
    assert count(lambda: api.post(decline, user=INVITEE)) == {
        "GetItem": 1,
        "TransactWriteItems": 1,
    }
