"""Helpers for the end-to-end suite: the stack as a process, HTTP clients, Cognito users.

Nothing here imports ``tasklane``: the suite sees the system the way a developer does after
``make run`` — a process, its banner, HTTP and Cognito.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import httpx

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

#: The web app's origin (the Next.js dev server): CORS must let it in.
WEB_ORIGIN = "http://127.0.0.1:3000"
#: Meets the pool's policy (12+ characters, upper, lower, digit).
PASSWORD = "Correct-Horse-42x"
#: Everything an error the API itself answers carries.
ERROR_FIELDS = {"code", "message", "details"}
#: API Gateway's own answer to a request its Cognito authorizer refuses.
GATEWAY_401 = {"message": "Unauthorized"}
#: Forges an ID token: claims override a valid one's (None removes a claim); ``key`` signs.
Forge = Callable[..., str]

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
#: Variables that would point the stack somewhere else, or that other suites of the same
#: pytest session set in this process (tests/integration points AWS_* at its own moto).
_FOREIGN_PREFIXES = ("AWS_", "TASKLANE_", "POWERTOOLS_", "MOTO_")
#: Lines of the banner the suite reads.
BANNER_LABELS = ("API", "AWS (moto)", "region", "user pool", "web client")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without AWS/Tasklane configuration, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN_PREFIXES)}
    env.update(extra)
    return env


def tasklane_command() -> list[str]:
    """The ``tasklane`` console script of this virtualenv: what ``uv run tasklane`` runs."""
    script = Path(sys.executable).with_name("tasklane")  # not resolved: the venv's bin/
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tasklane.cli"]


def _banner_line(label: str) -> re.Pattern[str]:
    return re.compile(rf"^  {re.escape(label)}\s+(\S+)$", re.MULTILINE)


def banner_value(banner: str, label: str) -> str:
    """The value of a ``  <label>   <value>`` line of the banner."""
    match = _banner_line(label).search(banner)
    if match is None:
        raise AssertionError(f"no {label!r} line in the banner:\n{banner}")
    return match.group(1)


class StackFailed(AssertionError):
    """``tasklane dev`` did not start, or did not stop cleanly."""


@dataclass
class StackProcess:
    """``tasklane dev --port 0 --aws-port 0`` in ``workdir``, its output in files there.

    Output goes to files, not pipes: the API handler logs a JSON line per request to stdout,
    and a pipe nobody drains would block it. Its state (``.local/``) lands in ``workdir``.
    """

    workdir: Path
    env: Mapping[str, str] = field(default_factory=clean_env)
    process: subprocess.Popen[bytes] | None = None
    banner: str = ""

    @property
    def stdout_path(self) -> Path:
        return self.workdir / "stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / "stderr.log"

    @property
    def api_url(self) -> str:
        return banner_value(self.banner, "API")

    @property
    def aws_url(self) -> str:
        return banner_value(self.banner, "AWS (moto)")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def start(self) -> StackProcess:
        command = [*tasklane_command(), "dev", "--host", "127.0.0.1", "--port", "0"]
        command += ["--aws-port", "0"]
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            # Its own session: a Ctrl-C on the test run reaches it only through stop(), and
            # after it exits, an empty process group proves it left nothing running.
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=dict(self.env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
                preexec_fn=_stop_when_parent_dies(),
            )
        self.banner = self._wait_for_banner()
        self._wait_until_healthy()
        return self

    def _wait_for_banner(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = self.stdout()
            if all(_banner_line(label).search(text) for label in BANNER_LABELS):
                # Printed in one write; the API handler's JSON log lines follow it.
                return text.split("\n{", 1)[0]
            self._fail_if_exited("before printing its banner")
            if time.monotonic() > deadline:
                raise StackFailed(f"no banner within {START_TIMEOUT} s:\n{self._logs()}")
            time.sleep(0.05)

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{self.api_url}/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            self._fail_if_exited("before GET /health answered")
            if time.monotonic() > deadline:
                raise StackFailed(f"GET /health not 200 within {START_TIMEOUT} s:\n{self._logs()}")
            time.sleep(0.05)

    def _fail_if_exited(self, when: str) -> None:
        assert self.process is not None
        code = self.process.poll()
        if code is not None:
            raise StackFailed(f"tasklane dev exited with {code} {when}:\n{self._logs()}")

    def stop(self) -> int:
        """Ctrl-C, as a developer stops ``make run``: SIGINT to the process group, as a
        terminal sends it. Returns the exit code."""
        process = self.process
        if process is None:
            raise StackFailed("the stack was never started")
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                os.killpg(process.pid, signal.SIGINT)
        try:
            return process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            message = f"still running {STOP_TIMEOUT} s after SIGINT:\n{self._logs()}"
            raise StackFailed(message) from None

    def kill(self) -> None:
        """Last resort, for a stack that hangs: its process group (its own session). Does
        nothing once the process has exited (its id may then belong to someone else)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def group_is_empty(self) -> bool:
        """True when no process of the stack's group survives it."""
        assert self.process is not None
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    def leftovers(self) -> list[str]:
        """Processes still using the stack's working directory (cwd, or named on their
        command line, like a database server's data directory): what a clean stop leaves
        none of, whatever process group or user they run as. Empty where there is no /proc.
        """
        proc = Path("/proc")
        if not proc.is_dir():
            return []
        workdir = str(self.workdir.resolve())
        found = []
        for entry in proc.iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                command = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:  # gone meanwhile
                continue
            try:
                cwd = os.readlink(entry / "cwd")
            except OSError:  # not ours to read
                cwd = ""
            if workdir in command or cwd == workdir or cwd.startswith(workdir + os.sep):
                found.append(f"{entry.name}: {command.strip()}")
        return found

    def _logs(self, tail: int = 4000) -> str:
        return f"--- stdout ---\n{self.stdout()[-tail:]}\n--- stderr ---\n{self.stderr()[-tail:]}"


def _stop_when_parent_dies() -> Callable[[], None] | None:
    """Linux: have the kernel send the stack SIGTERM (on which it stops cleanly) if the test
    run dies without tearing it down, so that it cannot outlive a killed run."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    pr_set_pdeathsig = 1

    def set_death_signal() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)

    return set_death_signal


def host_port(url: str) -> tuple[str, int]:
    parsed = httpx.URL(url)
    assert parsed.host, url
    assert parsed.port, url
    return parsed.host, parsed.port


def is_listening(url: str) -> bool:
    try:
        socket.create_connection(host_port(url), timeout=1).close()
    except OSError:
        return False
    return True


def can_bind(url: str) -> bool:
    try:
        socket.create_server(host_port(url)).close()
    except OSError:
        return False
    return True


# --- HTTP ----------------------------------------------------------------------------------


def check_response(response: httpx.Response) -> None:
    """Every response of the suite: never a 5xx, and every error in the documented shape.

    The API answers errors as ``{"error": {"code", "message", "details"}}``; the only other
    4xx is the gateway's own 401 (API Gateway's Cognito authorizer).
    """
    response.read()
    request = response.request
    where = f"{request.method} {request.url.path}"
    status = response.status_code
    assert status < 500, f"{where} answered {status}: {response.text[:1000]}"
    if status < 400:
        return
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{where} answered {status} without JSON: {response.text!r}") from None
    if status == 401:
        assert body == GATEWAY_401, f"{where}: a 401 not from the gateway: {body}"
        return
    assert isinstance(body, dict), f"{where} answered {status}: {body!r}"
    assert list(body) == ["error"], f"{where} answered {status} outside the error shape: {body}"
    error = body["error"]
    assert isinstance(error, dict), f"{where} answered {status}: {body}"
    assert set(error) == ERROR_FIELDS, f"{where} answered {status}: {body}"
    assert isinstance(error["code"], str), body
    assert isinstance(error["message"], str), body
    assert error["message"], body


def new_client(api_url: str, token: str | None = None) -> httpx.Client:
    """An HTTP client for the API; every response passes :func:`check_response`."""
    headers = {"Authorization": token} if token is not None else {}
    return httpx.Client(
        base_url=api_url,
        headers=headers,
        timeout=30,
        event_hooks={"response": [check_response]},
    )


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def collect(
    client: httpx.Client, path: str, params: Mapping[str, Any], max_pages: int = 50
) -> list[list[dict[str, Any]]]:
    """Every page of a list, following ``next_cursor`` until it is absent (or null)."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    for _ in range(max_pages):
        query = dict(params) | ({"cursor": cursor} if cursor else {})
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body.get("next_cursor")
        if cursor is None:
            return pages
    raise AssertionError(f"{path} {dict(params)}: still a next_cursor after {max_pages} pages")


# --- Cognito -------------------------------------------------------------------------------


def cognito_client(config: Mapping[str, Any]) -> CognitoIdentityProviderClient:
    """A Cognito client for the pool in a ``GET /config`` document (moto: any credentials)."""
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=config["region"]
    )
    return session.client("cognito-idp", endpoint_url=config["cognito_endpoint"])


def unverified_claims(token: str) -> dict[str, Any]:
    """A JWT's payload, read without checking anything (to build expectations from)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


@dataclass(frozen=True)
class User:
    """A user signed up, confirmed and logged in through Cognito, with an API client."""

    email: str
    id_token: str
    access_token: str
    sub: str
    http: httpx.Client


def sign_up(
    cognito: CognitoIdentityProviderClient,
    config: Mapping[str, Any],
    email: str,
    *,
    confirm_as_admin: bool,
) -> dict[str, str]:
    """The web app's flow: sign up, confirm, log in (USER_PASSWORD_AUTH); returns the
    ``AuthenticationResult``. Confirmed with a code (moto takes any) or as an administrator.
    """
    client_id = config["client_id"]
    signed_up = cognito.sign_up(
        ClientId=client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    assert signed_up["UserConfirmed"] is False  # the pool wants a confirmation
    if confirm_as_admin:
        # As `tasklane user confirm` does: an administrator's confirmation verifies no
        # address, so it marks the address verified as the e-mailed code would have.
        cognito.admin_confirm_sign_up(UserPoolId=config["user_pool_id"], Username=email)
        cognito.admin_update_user_attributes(
            UserPoolId=config["user_pool_id"],
            Username=email,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
    else:
        cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode="123456")
    logged_in = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    result = logged_in["AuthenticationResult"]
    return {"IdToken": result["IdToken"], "AccessToken": result["AccessToken"]}


def share(owner: User, project_id: str, invitee: User, role: str) -> httpx.Response:
    """The owner invites the invitee's address and the invitee accepts (the acceptance's
    response; the invitation's when it was refused)."""
    invited = owner.http.post(
        f"/projects/{project_id}/members", json={"email": invitee.email, "role": role}
    )
    if invited.status_code != 202:
        return invited
    return invitee.http.post(f"/invitations/{invited.json()['id']}/accept")
