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

from tests.e2e.support import StackProcess, cognito_client, new_client, sign_up

from .schemathesis_run import MEMBER_EMAIL

FUZZER_EMAIL = "fuzz@example.com"
#: How long the project_invited notification may take (stream → queue → notifier).
NOTIFICATION_WAIT_SECONDS = 30
TEXT = b"notes\n"
COMPLETE = "POST /tasks/{task_id}/attachments/{attachment_id}/complete"
ASSIGNING = ("POST /projects/{project_id}/tasks", "PATCH /tasks/{task_id}")
DELETE_COMMENT = "DELETE /tasks/{task_id}/comments/{comment_id}"


@dataclass(frozen=True)
class Seeded:
    """The fuzzer's user and what was made for it."""

    id_token: str
    #: The fuzzer's user id: a member of its projects, so a task may be assigned to it.
    user_id: str
    #: A task in the fuzzer's Inbox with an uploaded, completed attachment.
    task_id: str
    attachment_id: str
    #: A comment of the fuzzer's on that task.
    comment_id: str

    def config(self) -> str:
        """Schemathesis settings with what only this run knows.

        - The uploaded attachment, for completing: the fuzzer cannot upload a file (the form
          goes to S3, outside the API), so completing one it created always finds no file
          (409); completing this one, already complete, answers it (200).
        - The comment, for deleting one: the stateful scenarios that reach a comment are few
          among ~50 operations, and most end the task first; the first delete of this one
          answers 204 (later ones 404, which the document states).
        - The fuzzer's user id, for assigning tasks: only a member of the project may be
          assigned (422 otherwise), and no document can list who that is. (A refused
          assignment is also a failed transaction, which moto half-applies to the stream.)
        """
        assignee = f'{{ "body.assignee_id" = "{self.user_id}" }}'
        return (
            f"\n[[operations]]\ninclude-name = {COMPLETE!r}\n"
            f'parameters = {{ "path.task_id" = "{self.task_id}", '
            f'"path.attachment_id" = "{self.attachment_id}" }}\n'
            f"\n[[operations]]\ninclude-name = {DELETE_COMMENT!r}\n"
            f'parameters = {{ "path.task_id" = "{self.task_id}", '
            f'"path.comment_id" = "{self.comment_id}" }}\n'
            + "".join(
                f"\n[[operations]]\ninclude-name = {name!r}\nparameters = {assignee}\n"
                for name in ASSIGNING
            )
        )


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    process = StackProcess(tmp_path_factory.mktemp("fuzz-stack"))
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
    """Signs up the fuzzer's user and makes the data no request of the fuzzer can make.

    - a second user (``MEMBER_EMAIL``, the address the fuzzer may invite), who invites the
      fuzzer's user to a project, which it accepts: the invitation is a notification to read;
    - a task in the fuzzer's Inbox with an uploaded, completed attachment and a comment.
    """
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
        project = _created(other.post("/projects", json={"name": "Shared with the fuzzer"}))
        members = f"/projects/{project['id']}/members"
        invited = other.post(members, json={"email": FUZZER_EMAIL, "role": "editor"})
        assert invited.status_code == 202, invited.text
        accepted = me.post(f"/invitations/{invited.json()['id']}/accept")
        assert accepted.status_code == 200, accepted.text
        task = _created(me.post("/projects/inbox/tasks", json={"title": "With a file"}))
        attachment = _uploaded(me, task["id"])
        comment = _created(me.post(f"/tasks/{task['id']}/comments", json={"body": "Seeded"}))
        deadline = time.monotonic() + NOTIFICATION_WAIT_SECONDS
        while not me.get("/notifications").json()["items"]:
            assert time.monotonic() < deadline, "no project_invited notification arrived"
            time.sleep(0.5)
    return Seeded(
        fuzzer["IdToken"], profile.json()["user_id"], task["id"], attachment, comment["id"]
    )


def _uploaded(client: httpx.Client, task_id: str) -> str:
    """An attachment of ``task_id``, its file uploaded to the presigned form and checked."""
    started = _created(
        client.post(
            f"/tasks/{task_id}/attachments",
            json={"file_name": "notes.txt", "size": len(TEXT), "content_type": "text/plain"},
        )
    )
    form = started["upload"]
    uploaded = httpx.post(
        form["url"], data=form["fields"], files={"file": ("notes.txt", TEXT)}, timeout=10
    )
    assert uploaded.is_success, uploaded.text
    attachment: str = started["attachment"]["id"]
    completed = client.post(f"/tasks/{task_id}/attachments/{attachment}/complete")
    assert completed.status_code == 200, completed.text
    return attachment


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
