"""The smoke test's scenario: what a user does in the first five minutes, and what they
expect to see. Two users: the owner works, the member is told (nobody is notified of their
own actions, so a notification needs a second person).

Every call goes over HTTP to the API (and to S3 through the presigned forms and links the
API hands out), with the users' ID tokens, as the web app makes them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from smoke.cognito import Cognito, PoolConfig, User, new_password
from smoke.runner import Runner, SmokeFailure

T = TypeVar("T")
#: A small text file: the API checks the first bytes against the declared type.
ATTACHMENT = b"Tasklane smoke test attachment\n"


@dataclass(frozen=True, slots=True)
class Settings:
    api_url: str
    #: ``admin`` or ``code`` (see smoke.cognito).
    confirm: str = "admin"
    #: The users' addresses: ``{label}`` becomes ``tasklane-smoke-<run>-<role>``. None: SES's
    #: mailbox simulator in AWS (accepts every send, no inbox to fill), example.com locally.
    email: str | None = None
    #: How long the eventually-consistent results (search, notifications) may take.
    wait_seconds: float = 120.0
    read_code: Callable[[str], str] = input


@dataclass
class Made:
    """What the scenario created (printed at the end: a failed clean-up names its leftovers)."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    project_id: str | None = None
    task_id: str | None = None
    attachment_id: str | None = None
    users: list[str] = field(default_factory=list)


class Api:
    """The REST API with one user's ID token; a status other than the expected one fails."""

    def __init__(self, base_url: str, token: str = "") -> None:
        headers = {"Authorization": token} if token else {}
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=30)

    def call(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code != expect:
            raise SmokeFailure(
                f"{method} {path}: expected {expect}, got {response.status_code}: "
                f"{response.text[:300]}"
            )
        return response.json() if response.content else None

    def close(self) -> None:
        self._http.close()


def eventually(what: str, find: Callable[[], T | None], seconds: float) -> T:
    """``find()``'s first truthy answer within ``seconds`` (polled with a growing pause)."""
    deadline = time.monotonic() + seconds
    pause = 0.1
    while True:
        found = find()
        if found:
            return found
        if time.monotonic() > deadline:
            raise SmokeFailure(f"{what}: not there after {seconds:.0f} s")
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


class Scenario:
    def __init__(self, settings: Settings, runner: Runner) -> None:
        self.settings = settings
        self.runner = runner
        self.made = Made()
        self.anonymous = Api(settings.api_url)
        self.pool: PoolConfig | None = None
        self.cognito: Cognito | None = None
        self.owner = self._new_user("owner", "Smoke Owner")
        self.member = self._new_user("member", "Smoke Member")
        self.owner_api = self.member_api = self.anonymous
        self.word = f"smk{self.made.run}"

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("GET /config names the Cognito user pool and client", self.read_config),
            ("sign up two users and confirm them", self.sign_up),
            ("log in with the web app's flow, and refresh", self.log_in),
            ("create a project and a task", self.create),
            ("upload an attachment and download it", self.attach),
            ("find the task by search", self.search),
            ("share the project; the notifier tells the member", self.notify),
        ]

    # --- steps ----------------------------------------------------------------------------

    def read_config(self) -> None:
        self.anonymous.call("GET", "/health", 200)
        self.pool = PoolConfig.from_config(self.anonymous.call("GET", "/config", 200))
        self.cognito = Cognito(
            self.pool, confirm=self.settings.confirm, read_code=self._ask_for_code
        )

    def sign_up(self) -> None:
        cognito = self._cognito()
        for user in (self.owner, self.member):
            cognito.sign_up(user)
            self.made.users.append(user.email)
            self.runner.cleanup(f"delete the user {user.email}", self._deleter(user))
            cognito.confirm(user)

    def log_in(self) -> None:
        cognito = self._cognito()
        for user in (self.owner, self.member):
            cognito.log_in(user)
        first = self.owner.id_token
        cognito.refresh(self.owner)
        if not self.owner.id_token or self.owner.id_token == first:
            raise SmokeFailure("the refresh returned no new ID token")
        self.owner_api = Api(self.settings.api_url, self.owner.id_token)
        self.member_api = Api(self.settings.api_url, self.member.id_token)
        # The member's profile: sharing finds users by the e-mail of their profile.
        me = self.member_api.call("GET", "/me", 200)
        if me["email"] != self.member.email:
            raise SmokeFailure(f"GET /me: e-mail {me['email']!r}, not {self.member.email!r}")

    def create(self) -> None:
        project = self.owner_api.call("POST", "/projects", 201, json={"name": self._title()})
        self.made.project_id = project["id"]
        self.runner.cleanup("delete the project and its tasks", self._delete_project)
        task = self.owner_api.call(
            "POST",
            f"/projects/{project['id']}/tasks",
            201,
            json={"title": f"Check {self.word} end to end", "labels": ["smoke"]},
            headers={"Idempotency-Key": f"smoke-{self.made.run}-task"},
        )
        self.made.task_id = task["id"]
        again = self.owner_api.call("GET", f"/tasks/{task['id']}", 200)
        if again["title"] != task["title"]:
            raise SmokeFailure(f"GET /tasks/{task['id']} answered another task: {again}")

    def attach(self) -> None:
        task = self._made(self.made.task_id)
        started = self.owner_api.call(
            "POST",
            f"/tasks/{task}/attachments",
            201,
            json={
                "file_name": "smoke.txt",
                "size": len(ATTACHMENT),
                "content_type": "text/plain",
            },
        )
        attachment = started["attachment"]["id"]
        self.made.attachment_id = attachment
        self.runner.cleanup("delete the attachment", self._delete_attachment)
        form = started["upload"]
        uploaded = httpx.post(
            form["url"],
            data=form["fields"],
            files={"file": ("smoke.txt", ATTACHMENT, form["fields"]["Content-Type"])},
            timeout=30,
        )
        if uploaded.status_code not in (200, 201, 204):
            raise SmokeFailure(f"upload to S3: {uploaded.status_code}: {uploaded.text[:300]}")
        done = self.owner_api.call("POST", f"/tasks/{task}/attachments/{attachment}/complete", 200)
        if done["status"] != "ready":
            raise SmokeFailure(f"the completed attachment is {done['status']!r}, not ready")
        detail = self.owner_api.call("GET", f"/tasks/{task}/attachments/{attachment}", 200)
        downloaded = httpx.get(detail["download"]["url"], timeout=30)
        if downloaded.status_code != 200 or downloaded.content != ATTACHMENT:
            raise SmokeFailure(
                f"download from S3: {downloaded.status_code}, {len(downloaded.content)} bytes"
            )

    def search(self) -> None:
        task = self._made(self.made.task_id)

        def hit() -> bool:
            found = self.owner_api.call("GET", "/search", 200, params={"q": self.word})
            return [item["task"]["id"] for item in found["items"]] == [task]

        eventually(f"the task in GET /search?q={self.word}", hit, self.settings.wait_seconds)

    def notify(self) -> None:
        project = self._made(self.made.project_id)
        # Sharing is by invitation: the member (verified address) accepts it.
        invitation = self.owner_api.call(
            "POST",
            f"/projects/{project}/members",
            202,
            json={"email": self.member.email, "role": "viewer"},
        )
        self.member_api.call("POST", f"/invitations/{invitation['id']}/accept", 200)

        def notice() -> dict[str, Any] | None:
            page = self.member_api.call("GET", "/notifications", 200, params={"limit": 20})
            return next(
                (
                    n
                    for n in page["items"]
                    if n["kind"] == "project_shared" and n["project_id"] == project
                ),
                None,
            )

        wait = self.settings.wait_seconds
        found = eventually("the member's project_shared notification", notice, wait)
        self.member_api.call("POST", f"/notifications/{found['id']}/read", 204)

    # --- clean-ups ------------------------------------------------------------------------

    def _delete_project(self) -> None:
        project = self._made(self.made.project_id)
        self.owner_api.call("DELETE", f"/projects/{project}", 204, params={"force": "true"})
        self.owner_api.call("GET", f"/projects/{project}", 404)

    def _delete_attachment(self) -> None:
        task, attachment = self._made(self.made.task_id), self._made(self.made.attachment_id)
        self.owner_api.call("DELETE", f"/tasks/{task}/attachments/{attachment}", 204)

    def _deleter(self, user: User) -> Callable[[], None]:
        def delete() -> None:
            self._cognito().delete(user)

        return delete

    # --- helpers --------------------------------------------------------------------------

    def close(self) -> None:
        for api in {id(a): a for a in (self.anonymous, self.owner_api, self.member_api)}.values():
            api.close()

    def _cognito(self) -> Cognito:
        if self.cognito is None:
            raise SmokeFailure("no Cognito configuration: GET /config failed")
        return self.cognito

    def _new_user(self, role: str, name: str) -> User:
        label = f"tasklane-smoke-{self.made.run}-{role}"
        return User(email=self._address(label), password=new_password(), name=name)

    def _address(self, label: str) -> str:
        if self.settings.email is not None:
            return self.settings.email.format(label=label)
        # Decided before GET /config is read: a local API answers on a loopback address.
        host = httpx.URL(self.settings.api_url).host
        if host in ("127.0.0.1", "localhost", "::1"):
            return f"{label}@example.com"
        # SES's mailbox simulator: delivered, counted as sent, allowed in the sandbox.
        return f"success+{label}@simulator.amazonses.com"

    def _title(self) -> str:
        return f"Smoke test {self.made.run}"

    def _ask_for_code(self, email: str) -> str:
        return self.settings.read_code(f"confirmation code e-mailed to {email}: ")

    @staticmethod
    def _made(value: str | None) -> str:
        if value is None:
            raise SmokeFailure("an earlier step did not make what this one needs")
        return value
