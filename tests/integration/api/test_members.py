"""Sharing over the api handler, against moto: members, roles on every route, assignees,
and the DynamoDB requests each takes.

Members join by invitation (``test_invitations.py`` covers the invitations themselves): the
owner invites ``<user>@example.com`` (the claims' verified address) and that user accepts,
which needs their profile (the ``pg`` fixture).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.integration.conftest import Api, AwsCalls, Reply
from tests.integration.support import invite
from tests.integration.support import share as share_by_email

OWNER, EDITOR, VIEWER, STRANGER, NEWCOMER = "user-a", "user-b", "user-c", "user-d", "user-e"


@pytest.fixture
def people(pg: Engine) -> Engine:
    """The profile store, which finds an invitee's verified address."""
    return pg


def share(api: Api, project_id: str, user: str, role: str, **kwargs: Any) -> Reply:
    reply: Reply = share_by_email(api, project_id, f"{user}@example.com", role, **kwargs)
    return reply


@pytest.fixture
def project(api: Api, people: Engine) -> str:
    """The owner's project, shared with an editor and a viewer."""
    project_id: str = api.post("/projects", {"name": "Shared"}).body["id"]
    assert share(api, project_id, EDITOR, "editor").status == 200
    assert share(api, project_id, VIEWER, "viewer").status == 200
    return project_id


def _roles(api: Api, project_id: str) -> list[tuple[str, str]]:
    reply = api.get(f"/projects/{project_id}/members")
    assert reply.status == 200, reply.body
    return [(m["user_id"], m["role"]) for m in reply.body["items"]]


# Members ----------------------------------------------------------------------------------
def test_share_list_change_and_remove(api: Api, people: Engine) -> None:
    project_id = api.post("/projects", {"name": "Shared"}).body["id"]
    assert api.patch("/me", {"display_name": "Bea"}, user=EDITOR).status == 200
    invited = invite(api, project_id, " USER-B@example.com", "editor")
    assert invited.status == 202, invited.body
    accepted = api.post(f"/invitations/{invited.body['id']}/accept", user=EDITOR)
    assert accepted.status == 200, accepted.body
    listed = api.get(f"/projects/{project_id}/members").body["items"]
    added = next(m for m in listed if m["user_id"] == EDITOR)
    assert added == {
        "user_id": EDITOR,
        "email": f"{EDITOR}@example.com",
        "display_name": "Bea",
        "role": "editor",
        "added_at": added["added_at"],
        "added_by": OWNER,
    }
    listed = api.get(f"/projects/{project_id}/members", user=EDITOR)
    assert listed.status == 200
    assert listed.body["next_cursor"] is None
    owner = listed.body["items"][0]
    # The owner's entry has the e-mail and name from the token at project creation.
    assert (owner["user_id"], owner["role"], owner["email"]) == (
        OWNER,
        "owner",
        f"{OWNER}@example.com",
    )
    assert [p["role"] for p in api.get("/projects", user=EDITOR).body["items"]] == [
        "owner",  # their Inbox
        "editor",
    ]

    changed = api.patch(f"/projects/{project_id}/members/{EDITOR}", {"role": "viewer"})
    assert (changed.status, changed.body["role"]) == (200, "viewer")
    assert _roles(api, project_id) == [(OWNER, "owner"), (EDITOR, "viewer")]

    assert api.delete(f"/projects/{project_id}/members/{EDITOR}").status == 204
    assert _roles(api, project_id) == [(OWNER, "owner")]
    assert api.get(f"/projects/{project_id}", user=EDITOR).status == 404


def test_members_page_with_cursors(api: Api, project: str) -> None:
    share(api, project, NEWCOMER, "viewer")
    seen: list[str] = []
    cursor = None
    for _ in range(6):
        page = api.get(
            f"/projects/{project}/members", user=VIEWER, query={"limit": 2, "cursor": cursor}
        )
        assert page.status == 200, page.body
        seen += [m["user_id"] for m in page.body["items"]]
        cursor = page.body["next_cursor"]
        if cursor is None:
            break
    assert seen == [OWNER, EDITOR, VIEWER, NEWCOMER]
    other = api.get(f"/projects/{project}/members", user=EDITOR, query={"cursor": cursor or "x"})
    assert other.status == 400


def test_a_member_leaves(api: Api, project: str) -> None:
    task = api.post(f"/projects/{project}/tasks", {"title": "t"}).body
    assert api.delete(f"/projects/{project}/members/{VIEWER}", user=VIEWER).status == 204
    assert api.get(f"/tasks/{task['id']}", user=VIEWER).status == 404
    assert api.get(f"/projects/{project}/members", user=VIEWER).status == 404
    assert _roles(api, project) == [(OWNER, "owner"), (EDITOR, "editor")]


@pytest.mark.parametrize(
    ("caller", "method", "target", "body", "status", "code"),
    [
        (OWNER, "POST", None, {"email": f"{OWNER}@example.com", "role": "viewer"}, 409, "conflict"),
        (
            OWNER,
            "POST",
            None,
            {"email": f"{NEWCOMER}@example.com", "role": "owner"},
            422,
            "validation_failed",
        ),
        (
            OWNER,
            "POST",
            None,
            {"email": "not an address", "role": "viewer"},
            422,
            "validation_failed",
        ),
        (OWNER, "POST", None, {"email": f"{NEWCOMER}@example.com"}, 422, "validation_failed"),
        (OWNER, "POST", None, {"email": 5, "role": "viewer", "x": 1}, 422, "validation_failed"),
        (
            EDITOR,
            "POST",
            None,
            {"email": f"{NEWCOMER}@example.com", "role": "viewer"},
            403,
            "forbidden",
        ),
        (VIEWER, "POST", None, {"email": "nobody@example.com", "role": "viewer"}, 403, "forbidden"),
        (
            STRANGER,
            "POST",
            None,
            {"email": "nobody@example.com", "role": "viewer"},
            404,
            "not_found",
        ),
        (OWNER, "PATCH", OWNER, {"role": "viewer"}, 409, "conflict"),
        (OWNER, "PATCH", EDITOR, {"role": "owner"}, 422, "validation_failed"),
        (OWNER, "PATCH", STRANGER, {"role": "viewer"}, 404, "not_found"),
        (EDITOR, "PATCH", VIEWER, {"role": "editor"}, 403, "forbidden"),
        (VIEWER, "PATCH", VIEWER, {"role": "editor"}, 403, "forbidden"),
        (STRANGER, "PATCH", EDITOR, {"role": "viewer"}, 404, "not_found"),
        (OWNER, "DELETE", OWNER, None, 409, "conflict"),
        (EDITOR, "DELETE", VIEWER, None, 403, "forbidden"),
        (VIEWER, "DELETE", OWNER, None, 403, "forbidden"),
        (STRANGER, "DELETE", EDITOR, None, 404, "not_found"),
        (STRANGER, "DELETE", STRANGER, None, 404, "not_found"),
        (OWNER, "DELETE", "x" * 2000, None, 404, "not_found"),
        (OWNER, "PATCH", "x" * 2000, {"role": "viewer"}, 404, "not_found"),
    ],
)
def test_member_requests_that_are_refused(
    api: Api,
    project: str,
    caller: str,
    method: str,
    target: str | None,
    body: Any,
    status: int,
    code: str,
) -> None:
    path = f"/projects/{project}/members" + (f"/{target}" if target else "")
    reply = api.call(method, path, user=caller, body=body)
    assert (reply.status, reply.error_code) == (status, code), reply.body
    assert set(reply.body["error"]) == {"code", "message", "details"}
    assert _roles(api, project) == [(OWNER, "owner"), (EDITOR, "editor"), (VIEWER, "viewer")]


def test_the_inbox_cannot_be_shared(api: Api) -> None:
    reply = share(api, "inbox", EDITOR, "viewer")
    assert (reply.status, reply.error_code) == (409, "conflict")
    assert _roles(api, "inbox") == [(OWNER, "owner")]


def test_sharing_is_idempotent_with_a_key(api: Api, project: str) -> None:
    key = {"Idempotency-Key": "share-newcomer-1"}
    first = invite(api, project, f"{NEWCOMER}@example.com", "viewer", headers=key)
    again = invite(api, project, f"{NEWCOMER}@example.com", "viewer", headers=key)
    assert (first.status, again.status) == (202, 202)
    assert again.body == first.body
    assert again.headers["idempotent-replayed"] == "true"
    assert invite(api, project, f"{NEWCOMER}@example.com", "editor", headers=key).status == 422
    pending = api.get(f"/projects/{project}/invitations").body["items"]
    assert [i["id"] for i in pending] == [first.body["id"]]  # one invitation, not two


# Roles on the task routes -----------------------------------------------------------------
def test_every_role_on_the_task_routes(api: Api, project: str) -> None:
    task = api.post(f"/projects/{project}/tasks", {"title": "t"}, user=EDITOR)
    assert task.status == 201
    path = f"/tasks/{task.body['id']}"
    for user in (OWNER, EDITOR, VIEWER):
        assert api.get(path, user=user).status == 200
        assert api.get(f"/projects/{project}/tasks", user=user).status == 200
        assert api.get(f"/projects/{project}", user=user).body["role"] in {
            "owner",
            "editor",
            "viewer",
        }
    refused = [
        (api.post(f"/projects/{project}/tasks", {"title": "v"}, user=VIEWER), 403),
        (api.patch(path, {"title": "v"}, user=VIEWER), 403),
        (api.delete(path, user=VIEWER), 403),
        (api.patch(f"/projects/{project}", {"name": "v"}, user=EDITOR), 403),
        (api.delete(f"/projects/{project}", user=EDITOR, query={"force": "true"}), 403),
        (api.get(path, user=STRANGER), 404),
        (api.patch(path, {"title": "s"}, user=STRANGER), 404),
        (api.get(f"/projects/{project}/tasks", user=STRANGER), 404),
        (api.post(f"/projects/{project}/tasks", {"title": "s"}, user=STRANGER), 404),
    ]
    assert [r.status for r, _ in refused] == [status for _, status in refused]
    assert api.patch(path, {"title": "edited"}, user=EDITOR).status == 204
    assert api.get(path).body["updated_by"] == EDITOR


# Assignees --------------------------------------------------------------------------------
def test_assign_list_and_unassign(api: Api, project: str) -> None:
    undated = api.post(f"/projects/{project}/tasks", {"title": "u", "assignee_id": EDITOR})
    assert (undated.status, undated.body["assignee_id"]) == (201, EDITOR)
    due = api.post(
        f"/projects/{project}/tasks",
        {"title": "d", "due_at": "2030-01-01T00:00:00Z", "assignee_id": EDITOR},
    ).body
    mine = api.get("/tasks", user=EDITOR, query={"assignee": "me"})
    assert mine.status == 200
    assert [t["id"] for t in mine.body["items"]] == [due["id"], undated.body["id"]]
    page = api.get("/tasks", user=EDITOR, query={"assignee": "me", "limit": 1})
    assert [t["id"] for t in page.body["items"]] == [due["id"]]
    rest = api.get(
        "/tasks", user=EDITOR, query={"assignee": "me", "cursor": page.body["next_cursor"]}
    )
    assert [t["id"] for t in rest.body["items"]] == [undated.body["id"]]

    reassigned = api.patch(f"/tasks/{due['id']}", {"assignee_id": VIEWER}, user=EDITOR)
    assert reassigned.status == 204
    assert [
        t["id"] for t in api.get("/tasks", user=VIEWER, query={"assignee": "me"}).body["items"]
    ] == [due["id"]]
    assert api.patch(f"/tasks/{due['id']}", {"assignee_id": None}).status == 204
    assert api.get("/tasks", user=VIEWER, query={"assignee": "me"}).body["items"] == []
    assert api.get(f"/tasks/{due['id']}").body["assignee_id"] is None


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"assignee": "someone"}, 422),
        ({}, 422),
        ({"assignee": "me", "limit": 0}, 422),
        ({"assignee": "me", "cursor": "forged"}, 400),
    ],
)
def test_assigned_list_refuses_other_queries(
    api: Api, project: str, query: dict[str, Any], status: int
) -> None:
    assert api.get("/tasks", query=query).status == status


def test_only_members_are_assigned(api: Api, project: str) -> None:
    refused = api.post(f"/projects/{project}/tasks", {"title": "x", "assignee_id": STRANGER})
    assert (refused.status, refused.error_code) == (422, "validation_failed")
    assert refused.body["error"]["details"] == {"assignee_id": "must be a member of the project"}
    task = api.post(f"/projects/{project}/tasks", {"title": "x"}).body
    patched = api.patch(f"/tasks/{task['id']}", {"assignee_id": STRANGER})
    assert (patched.status, patched.error_code) == (422, "validation_failed")
    for bad in ("", "x" * 200, 7, "two\nlines"):
        reply = api.post(f"/projects/{project}/tasks", {"title": "x", "assignee_id": bad})
        assert reply.status == 422, bad


def test_a_removed_member_no_longer_lists_assigned_tasks(api: Api, project: str) -> None:
    """Issue 14, finding 3: at once, before the clean-up consumer unassigns them."""
    task = api.post(f"/projects/{project}/tasks", {"title": "t", "assignee_id": EDITOR}).body
    listed = api.get("/tasks", user=EDITOR, query={"assignee": "me"}).body["items"]
    assert [t["id"] for t in listed] == [task["id"]]
    assert api.delete(f"/projects/{project}/members/{EDITOR}").status == 204
    assert api.get(f"/tasks/{task['id']}").body["assignee_id"] == EDITOR  # not cleaned up yet
    assert api.get("/tasks", user=EDITOR, query={"assignee": "me"}).body["items"] == []


# DynamoDB requests ------------------------------------------------------------------------
def _count(aws_calls: AwsCalls, call: Any) -> tuple[int, dict[str, int]]:
    aws_calls.clear()
    reply = call()
    assert reply.status < 300, reply.body
    return aws_calls.total, dict(aws_calls.operations)


def test_round_trips_of_sharing(api: Api, project: str, aws_calls: AwsCalls) -> None:
    base = f"/projects/{project}/members"
    email = f"{NEWCOMER}@example.com"
    assert _count(aws_calls, lambda: invite(api, project, email, "viewer")) == (
        2,
        {"BatchGetItem": 1, "TransactWriteItems": 1},
    )
    made = api.get("/invitations", user=NEWCOMER).body["items"][0]["id"]
    # The invitation (a GetItem) and one transaction: closed, member added and counted.
    accept = f"/invitations/{made}/accept"
    assert _count(aws_calls, lambda: api.post(accept, user=NEWCOMER)) == (
        2,
        {"GetItem": 1, "TransactWriteItems": 1},
    )
    assert _count(aws_calls, lambda: api.get(base)) == (2, {"BatchGetItem": 1, "Query": 1})
    # Someone other than the owner: the owner's membership is one more read (first page).
    assert _count(aws_calls, lambda: api.get(base, user=VIEWER)) == (
        3,
        {"BatchGetItem": 1, "GetItem": 1, "Query": 1},
    )
    assert _count(aws_calls, lambda: api.patch(f"{base}/{NEWCOMER}", {"role": "editor"})) == (
        2,
        {"TransactWriteItems": 1, "BatchGetItem": 1},
    )
    assert _count(aws_calls, lambda: api.delete(f"{base}/{NEWCOMER}")) == (
        1,
        {"TransactWriteItems": 1},
    )
    assert _count(aws_calls, lambda: api.delete(f"{base}/{VIEWER}", user=VIEWER)) == (
        1,
        {"TransactWriteItems": 1},
    )


def test_round_trips_of_assignments(api: Api, project: str, aws_calls: AwsCalls) -> None:
    created = _count(
        aws_calls,
        lambda: api.post(f"/projects/{project}/tasks", {"title": "x", "assignee_id": EDITOR}),
    )
    assert created == (1, {"TransactWriteItems": 1})
    task = api.get("/tasks", user=EDITOR, query={"assignee": "me"}).body["items"][0]
    assert _count(
        aws_calls, lambda: api.patch(f"/tasks/{task['id']}", {"assignee_id": VIEWER})
    ) == (1, {"TransactWriteItems": 1})
    for n in range(3):
        api.post(f"/projects/{project}/tasks", {"title": f"t{n}", "assignee_id": EDITOR})
    aws_calls.clear()
    listed = api.get("/tasks", user=EDITOR, query={"assignee": "me", "limit": 2})
    assert len(listed.body["items"]) == 2
    # The page's Query and the caller's memberships of its projects (issue 14, finding 3).
    assert (aws_calls.total, dict(aws_calls.operations)) == (2, {"Query": 1, "BatchGetItem": 1})
    assert aws_calls.scanned <= 3  # limit + 1
