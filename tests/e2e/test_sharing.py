"""Sharing over HTTP: Alice shares a project with Bob, assigns him a task, Bob finds it and
comments; a viewer cannot write, a stranger cannot see, and a member who leaves loses
access."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .support import User, collect, error_code, new_client, share, sign_up, unverified_claims

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def carol(
    api_url: str, cognito: CognitoIdentityProviderClient, client_config: dict[str, Any]
) -> Iterator[User]:
    """A third user, signed up for this module only."""
    email = f"carol-{uuid.uuid4().hex[:8]}@example.com"
    tokens = sign_up(cognito, client_config, email, confirm_as_admin=True)
    with new_client(api_url, tokens["IdToken"]) as client:
        yield User(
            email=email,
            id_token=tokens["IdToken"],
            access_token=tokens["AccessToken"],
            sub=unverified_claims(tokens["IdToken"])["sub"],
            http=client,
        )


def _assigned(user: User) -> list[str]:
    return [t["id"] for page in collect(user.http, "/tasks", {"assignee": "me"}) for t in page]


def test_share_assign_comment_and_leave(alice: User, bob: User, carol: User) -> None:
    project = alice.http.post("/projects", json={"name": f"Shared {uuid.uuid4().hex[:6]}"})
    assert project.status_code == 201
    project_id = project.json()["id"]
    members = f"/projects/{project_id}/members"

    # An invitation, the same whether or not the address has an account.
    unknown = alice.http.post(members, json={"email": "nobody@example.com", "role": "viewer"})
    invited = alice.http.post(members, json={"email": bob.email.upper(), "role": "editor"})
    assert (unknown.status_code, invited.status_code) == (202, 202), invited.text
    assert set(unknown.json()) == set(invited.json())
    assert bob.http.get(f"/projects/{project_id}").status_code == 404  # not yet a member
    mine = bob.http.get("/invitations").json()["items"]
    assert [i["id"] for i in mine] == [invited.json()["id"]]
    accepted = bob.http.post(f"/invitations/{invited.json()['id']}/accept")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert bob.http.get(f"/projects/{project_id}").json()["role"] == "editor"

    # A stranger sees nothing of it.
    assert carol.http.get(f"/projects/{project_id}").status_code == 404
    assert carol.http.get(members).status_code == 404

    task = alice.http.post(
        f"/projects/{project_id}/tasks",
        json={
            "title": "Review the draft",
            "assignee_id": bob.sub,
            "due_at": "2031-01-01T09:00:00Z",
        },
    )
    assert task.status_code == 201, task.text
    task_id = task.json()["id"]
    assert task.json()["assignee_id"] == bob.sub
    assert task_id in _assigned(bob)
    assert carol.http.get(f"/tasks/{task_id}").status_code == 404

    said = bob.http.post(f"/tasks/{task_id}/comments", json={"body": "On it."})
    assert said.status_code == 201, said.text
    thread = alice.http.get(f"/tasks/{task_id}/comments").json()["items"]
    assert [(c["author_id"], c["body"]) for c in thread] == [(bob.sub, "On it.")]
    assert carol.http.get(f"/tasks/{task_id}/comments").status_code == 404

    # Carol joins as a viewer: she reads, and every write is refused.
    assert share(alice, project_id, carol, "viewer").status_code == 200
    assert carol.http.get(f"/tasks/{task_id}").status_code == 200
    refused = carol.http.patch(f"/tasks/{task_id}", json={"title": "mine now"})
    assert (refused.status_code, error_code(refused)) == (403, "forbidden")
    assert carol.http.post(f"/tasks/{task_id}/comments", json={"body": "x"}).status_code == 403
    listed = carol.http.get(members).json()["items"]
    assert [(m["user_id"], m["role"]) for m in listed] == [
        (alice.sub, "owner"),
        *sorted([(bob.sub, "editor"), (carol.sub, "viewer")]),
    ]

    # Bob leaves: the project, its tasks and his assignment are gone for him.
    assert bob.http.delete(f"{members}/{bob.sub}").status_code == 204
    assert bob.http.get(f"/tasks/{task_id}").status_code == 404
    assert bob.http.get(f"/tasks/{task_id}/comments").status_code == 404
    assert project_id not in [p["id"] for page in collect(bob.http, "/projects", {}) for p in page]
    assert alice.http.delete(f"{members}/{alice.sub}").status_code == 409  # the owner stays
    assert alice.http.delete(f"/projects/{project_id}", params={"force": "true"}).status_code == 204


def test_openapi_describes_the_sharing_routes(anonymous: httpx.Client) -> None:
    spec = anonymous.get("/openapi.json").json()
    operations = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert operations >= {
        ("GET", "/projects/{project_id}/members"),
        ("POST", "/projects/{project_id}/members"),
        ("PATCH", "/projects/{project_id}/members/{user_id}"),
        ("DELETE", "/projects/{project_id}/members/{user_id}"),
        ("GET", "/invitations"),
        ("POST", "/invitations/{invitation_id}/accept"),
        ("POST", "/invitations/{invitation_id}/decline"),
        ("GET", "/projects/{project_id}/invitations"),
        ("DELETE", "/projects/{project_id}/invitations/{invitation_id}"),
        ("GET", "/tasks"),
        ("GET", "/tasks/{task_id}/comments"),
        ("POST", "/tasks/{task_id}/comments"),
        ("PATCH", "/tasks/{task_id}/comments/{comment_id}"),
        ("DELETE", "/tasks/{task_id}/comments/{comment_id}"),
    }
