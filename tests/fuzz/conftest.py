"""The stack ``make run`` starts, as a child process, and the data the fuzzer starts from.

The same process fixture as the end-to-end suite (tests/e2e/support.py): the fuzzer sees the
system over HTTP, through the local gateway and its Cognito authorizer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.support import StackProcess, clean_env, cognito_client, new_client, sign_up

from .schemathesis_run import MEMBER_EMAIL, WEBHOOK_URL

FUZZER_EMAIL = "fuzz@example.com"
#: How long the project_invited notification may take (stream → queue → notifier).
NOTIFICATION_WAIT_SECONDS = 30
TEXT = b"notes\n"
#: A generic CSV to import: one task.
CSV = b"Title\nImported by the fuzz seed\n"
#: Webhook receivers the fuzzer registers (the config's dictionary): loopback, which only the
#: local runtime allows (TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK), and which nothing delivers to.
STACK_ENV = {"TASKLANE_WEBHOOK_ALLOW_HTTP_LOOPBACK": "1"}

#: Operation → the path parameters only the seed can make (see :meth:`Seeded.config`).
Parameters = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Seeded:
    """The fuzzer's user and what was made for it."""

    id_token: str
    #: The fuzzer's user id: a member of its projects, so a task may be assigned to it.
    user_id: str
    #: What each operation that no link can reach with a usable id is given instead.
    parameters: Parameters

    def config(self) -> str:
        """Schemathesis settings with what only this run knows: for each operation, the
        values :func:`seed` made for it (its path parameters; the assignee of a task).

        The seed gives an operation its own resource when the fuzzer cannot make one (a file
        goes to S3, outside the API; an invitation or a second member needs another user), or
        when the links that lead to it are too few among ~70 operations for the bounded run
        to take them, or when a single request uses it up (a delete, an accept): then the
        first request is answered with a 2xx and later ones with the 404 or 409 the document
        states. The fuzzer's user id goes to task writes: only a member of the project may
        be assigned (422 otherwise), and no document can list who that is.
        """
        assignee = f'{{ "body.assignee_id" = "{self.user_id}" }}'
        sections = [
            f"\n[[operations]]\ninclude-name = {name!r}\nparameters = {{ "
            + ", ".join(f'"path.{key}" = "{value}"' for key, value in values.items())
            + " }\n"
            for name, values in sorted(self.parameters.items())
        ]
        sections += [
            f"\n[[operations]]\ninclude-name = {name!r}\nparameters = {assignee}\n"
            for name in ASSIGNING
        ]
        return "".join(sections)


ASSIGNING = ("POST /projects/{project_id}/tasks", "PATCH /tasks/{task_id}")


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    process = StackProcess(tmp_path_factory.mktemp("fuzz-stack"), clean_env(**STACK_ENV))
    try:
        process.start()
        yield process
    finally:
        if process.process is not None and process.process.poll() is None:
            process.stop()


@pytest.fixture(scope="package")
def seeded(stack: StackProcess) -> Seeded:
    return seed(stack.api_url)


def seed(api_url: str) -> Seeded:
    """Signs up the fuzzer's user and a second user (``MEMBER_EMAIL``, the address the fuzzer
    may invite), and makes what no request of the fuzzer can make (see Seeded.config)."""
    with new_client(api_url) as anonymous:
        config = anonymous.get("/config").json()
    cognito = cognito_client(config)
    fuzzer = sign_up(cognito, config, FUZZER_EMAIL, confirm_as_admin=True)
    member = sign_up(cognito, config, MEMBER_EMAIL, confirm_as_admin=True)
    with (
        new_client(api_url, fuzzer["IdToken"]) as me,
        new_client(api_url, member["IdToken"]) as other,
    ):
        profile = me.get("/me")  # both have profiles now
        assert profile.status_code == 200, profile.text
        assert other.get("/me").status_code == 200
        parameters = {
            **_invitations(me, other),
            **_members(me, other),
            **_task_data(me),
            **_webhooks(me),
            **_imports(me),
            "GET /calendar/{token}": {"token": _feed_token(other)},
        }
        deadline = time.monotonic() + NOTIFICATION_WAIT_SECONDS
        while not me.get("/notifications").json()["items"]:
            assert time.monotonic() < deadline, "no project_invited notification arrived"
            time.sleep(0.5)
    return Seeded(fuzzer["IdToken"], profile.json()["user_id"], parameters)


def _invitations(me: httpx.Client, other: httpx.Client) -> Parameters:
    """The other user shares a project with the fuzzer's (accepted: the invitation is a
    notification to read), and invites it to two more: one to accept, one to decline."""
    pending: list[str] = []
    for name in ("Shared with the fuzzer", "To accept", "To decline"):
        project = _created(other.post("/projects", json={"name": name}))
        invited = other.post(
            f"/projects/{project['id']}/members", json={"email": FUZZER_EMAIL, "role": "editor"}
        )
        assert invited.status_code == 202, invited.text
        pending.append(invited.json()["id"])
    accepted = me.post(f"/invitations/{pending[0]}/accept")
    assert accepted.status_code == 200, accepted.text
    return {
        "POST /invitations/{invitation_id}/accept": {"invitation_id": pending[1]},
        "POST /invitations/{invitation_id}/decline": {"invitation_id": pending[2]},
    }


def _members(me: httpx.Client, other: httpx.Client) -> Parameters:
    """Two projects of the fuzzer's with the other user as a member: one whose role it
    changes, one it removes them from (members join by accepting an invitation, which only
    the invitee can)."""
    found: Parameters = {}
    for operation in (
        "PATCH /projects/{project_id}/members/{user_id}",
        "DELETE /projects/{project_id}/members/{user_id}",
    ):
        project = _created(me.post("/projects", json={"name": "With a member"}))
        invited = me.post(
            f"/projects/{project['id']}/members", json={"email": MEMBER_EMAIL, "role": "viewer"}
        )
        assert invited.status_code == 202, invited.text
        joined = other.post(f"/invitations/{invited.json()['id']}/accept")
        assert joined.status_code == 200, joined.text
        found[operation] = {"project_id": project["id"], "user_id": _user_id(other)}
    return found


def _task_data(me: httpx.Client) -> Parameters:
    """A task in the fuzzer's Inbox with an uploaded, completed attachment (completing one
    the fuzzer made finds no file: 409), a pending one to delete, a comment and a checklist
    item to delete; a task in the trash to restore; a recurring task to skip."""
    task = _created(me.post("/projects/inbox/tasks", json={"title": "With a file"}))
    attachment = _uploaded(me, task["id"])
    pending = _created(
        me.post(
            f"/tasks/{task['id']}/attachments",
            json={"file_name": "later.txt", "size": len(TEXT), "content_type": "text/plain"},
        )
    )["attachment"]["id"]
    comment = _created(me.post(f"/tasks/{task['id']}/comments", json={"body": "Seeded"}))
    item = _created(me.post(f"/tasks/{task['id']}/checklist", json={"text": "Seeded"}))
    trashed = _created(me.post("/projects/inbox/tasks", json={"title": "In the trash"}))
    assert me.delete(f"/tasks/{trashed['id']}").status_code == 204
    repeating = _created(
        me.post(
            "/projects/inbox/tasks",
            json={
                "title": "Every day",
                "due_at": "2026-12-01T09:00:00Z",
                "recurrence": "FREQ=DAILY",
            },
        )
    )
    return {
        "POST /tasks/{task_id}/attachments/{attachment_id}/complete": {
            "task_id": task["id"],
            "attachment_id": attachment,
        },
        "DELETE /tasks/{task_id}/attachments/{attachment_id}": {
            "task_id": task["id"],
            "attachment_id": pending,
        },
        "DELETE /tasks/{task_id}/comments/{comment_id}": {
            "task_id": task["id"],
            "comment_id": comment["id"],
        },
        "DELETE /tasks/{task_id}/checklist/{item_id}": {
            "task_id": task["id"],
            "item_id": item["id"],
        },
        "POST /tasks/{task_id}/restore": {"task_id": trashed["id"]},
        "POST /tasks/{task_id}/recurrence/skip": {"task_id": repeating["id"]},
    }


def _webhooks(me: httpx.Client) -> Parameters:
    """A project of the fuzzer's for registering webhooks (at most 10: then 409), with one
    to read, change and rotate, and one to delete."""
    project = _created(me.post("/projects", json={"name": "With webhooks"}))
    base = f"/projects/{project['id']}/webhooks"
    kept, deleted = (
        _created(me.post(base, json={"url": WEBHOOK_URL}))["webhook"]["id"] for _ in range(2)
    )
    one = {"project_id": project["id"], "webhook_id": kept}
    return {
        "POST /projects/{project_id}/webhooks": {"project_id": project["id"]},
        "GET /projects/{project_id}/webhooks/{webhook_id}": one,
        "PATCH /projects/{project_id}/webhooks/{webhook_id}": one,
        "POST /projects/{project_id}/webhooks/{webhook_id}/rotate": one,
        "GET /projects/{project_id}/webhooks/{webhook_id}/deliveries": one,
        "DELETE /projects/{project_id}/webhooks/{webhook_id}": {**one, "webhook_id": deleted},
    }


def _imports(me: httpx.Client) -> Parameters:
    """Two imports with their file uploaded: one to check (as often as asked), one to run
    (once: 409 afterwards)."""
    checked, started = (_import_uploaded(me) for _ in range(2))
    return {
        "POST /imports/{import_id}/dry-run": {"import_id": checked},
        "POST /imports/{import_id}/start": {"import_id": started},
    }


def _import_uploaded(client: httpx.Client) -> str:
    created = _created(
        client.post(
            "/imports",
            json={
                "format": "csv",
                "mapping": {"title": "Title"},
                "file_name": "tasks.csv",
                "size": len(CSV),
            },
        )
    )
    _post_form(created["upload"], "tasks.csv", CSV)
    import_id: str = created["import"]["id"]
    return import_id


def _feed_token(client: httpx.Client) -> str:
    """The other user's calendar feed token (the fuzzer regenerates and revokes its own)."""
    feed = client.get("/me/calendar")
    assert feed.status_code == 200, feed.text
    token: str = feed.json()["url"].rsplit("/", 1)[-1]
    return token


def _user_id(client: httpx.Client) -> str:
    user_id: str = client.get("/me").json()["user_id"]
    return user_id


def _uploaded(client: httpx.Client, task_id: str) -> str:
    """An attachment of ``task_id``, its file uploaded to the presigned form and checked."""
    started = _created(
        client.post(
            f"/tasks/{task_id}/attachments",
            json={"file_name": "notes.txt", "size": len(TEXT), "content_type": "text/plain"},
        )
    )
    _post_form(started["upload"], "notes.txt", TEXT)
    attachment: str = started["attachment"]["id"]
    completed = client.post(f"/tasks/{task_id}/attachments/{attachment}/complete")
    assert completed.status_code == 200, completed.text
    return attachment


def _post_form(form: dict[str, Any], name: str, content: bytes) -> None:
    """A file sent with a presigned S3 POST form, as a browser would."""
    uploaded = httpx.post(
        form["url"], data=form["fields"], files={"file": (name, content)}, timeout=10
    )
    assert uploaded.is_success, uploaded.text


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
