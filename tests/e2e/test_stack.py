"""The stack as `make run` starts it: banner, configuration, public routes, CORS, the CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from .support import (
    PASSWORD,
    WEB_ORIGIN,
    StackProcess,
    User,
    banner_value,
    clean_env,
    new_client,
    tasklane_command,
    unverified_claims,
)

pytestmark = pytest.mark.e2e

#: A profile no machine has: what a developer's shell may export.
MISSING_PROFILE = "tasklane-e2e-no-such-profile"


def _tasklane(
    *args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*tasklane_command(), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env if env is not None else clean_env(),
        timeout=60,
        check=False,
    )


def test_the_banner_and_get_config_name_the_same_stack(
    stack: StackProcess, client_config: dict[str, Any]
) -> None:
    assert stack.banner.startswith("Tasklane is running; Ctrl-C stops it.\n")
    assert banner_value(stack.banner, "API docs") == f"{stack.api_url}/docs"
    assert client_config == {
        "region": banner_value(stack.banner, "region"),
        "user_pool_id": banner_value(stack.banner, "user pool"),
        "client_id": banner_value(stack.banner, "web client"),
        "cognito_endpoint": stack.aws_url,
        "api_url": stack.api_url,
        "realtime_url": stack.api_url.replace("http", "ws", 1) + "/realtime",
    }
    # The banner's own instructions point at this stack, not at the default port.
    assert f"--api {stack.api_url}" in stack.banner


def test_state_goes_to_the_working_directory(stack: StackProcess) -> None:
    state = stack.workdir / ".local"
    assert (state / "cursor-secret").is_file()
    assert (state / ".gitignore").read_text() == "*\n"


@pytest.mark.parametrize("path", ["/health", "/config", "/openapi.json", "/docs"])
@pytest.mark.parametrize("authorization", [None, "not-a-token"], ids=["no-token", "bad-token"])
def test_public_routes_need_no_token(
    anonymous: httpx.Client, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = anonymous.get(path, headers=headers)

    assert response.status_code == 200


def test_health(anonymous: httpx.Client) -> None:
    response = anonymous.get("/health")

    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-amzn-requestid"]


def test_openapi_describes_every_documented_route(anonymous: httpx.Client) -> None:
    spec = anonymous.get("/openapi.json").json()

    assert spec["openapi"].startswith("3.")
    operations = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    # docs/api.md, "Resources", plus the public routes.
    assert operations >= {
        ("POST", "/projects"),
        ("GET", "/projects"),
        ("GET", "/projects/{project_id}"),
        ("PATCH", "/projects/{project_id}"),
        ("DELETE", "/projects/{project_id}"),
        ("POST", "/projects/{project_id}/tasks"),
        ("GET", "/projects/{project_id}/tasks"),
        ("GET", "/tasks/{task_id}"),
        ("PATCH", "/tasks/{task_id}"),
        ("DELETE", "/tasks/{task_id}"),
        ("GET", "/health"),
        ("GET", "/config"),
    }


def test_docs_are_swagger_ui_that_works_offline(anonymous: httpx.Client) -> None:
    response = anonymous.get("/docs")

    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "SwaggerUIBundle" in html
    # Assets are inlined: nothing to fetch from a CDN.
    assert '<script src="http' not in html
    assert '<link rel="stylesheet" href="http' not in html


# --- CORS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/projects"), ("POST", "/projects/inbox/tasks"), ("PATCH", "/tasks/x-y")],
)
def test_preflight_from_the_web_app(anonymous: httpx.Client, method: str, path: str) -> None:
    response = anonymous.options(
        path,
        headers={
            "Origin": WEB_ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type,if-match,idempotency-key",
        },
    )

    assert response.status_code in (200, 204)
    headers = response.headers
    assert headers["access-control-allow-origin"] == WEB_ORIGIN
    assert method in headers["access-control-allow-methods"].split(",")
    allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "idempotency-key", "prefer"} <= allowed
    assert int(headers["access-control-max-age"]) > 0


def test_responses_to_the_web_app_expose_what_it_reads(alice: User) -> None:
    response = alice.http.post("/projects", json={"name": "cors"}, headers={"Origin": WEB_ORIGIN})

    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == WEB_ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "location", "idempotent-replayed"} <= exposed


def test_the_gateway_401_reaches_the_web_app(anonymous: httpx.Client) -> None:
    response = anonymous.get("/projects", headers={"Origin": WEB_ORIGIN})

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == WEB_ORIGIN


def test_other_origins_get_no_cors_grant(anonymous: httpx.Client, alice: User) -> None:
    origin = {"Origin": "http://evil.example"}
    preflight = anonymous.options(
        "/projects", headers=origin | {"Access-Control-Request-Method": "POST"}
    )
    response = alice.http.get("/projects", headers=origin)

    assert "access-control-allow-origin" not in preflight.headers
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


# --- the tasklane command --------------------------------------------------------------------


def test_cli_signup_confirm_login_prints_an_id_token(
    stack: StackProcess, client_config: dict[str, Any], tmp_path: Path
) -> None:
    email = "carol@example.com"
    api = ("--api", stack.api_url)

    signup = _tasklane("user", "signup", email, *api, cwd=tmp_path)
    assert signup.returncode == 0, signup.stderr
    password = signup.stdout.strip()  # generated, printed once
    assert len(password) >= 12
    assert f"Signed up {email}" in signup.stderr

    confirm = _tasklane("user", "confirm", email, *api, cwd=tmp_path)
    assert confirm.returncode == 0, confirm.stderr

    login = _tasklane("user", "login", email, *api, cwd=tmp_path, stdin=password + "\n")
    assert login.returncode == 0, login.stderr
    token = login.stdout.strip()
    assert login.stdout == token + "\n"  # only the token: TOKEN=$(tasklane user login ...)

    claims = unverified_claims(token)
    assert claims["token_use"] == "id"
    assert claims["email"] == email
    assert claims["aud"] == client_config["client_id"]
    with new_client(stack.api_url, token) as carol:
        projects = carol.get("/projects").json()["items"]
    assert [(p["name"], p["owner_id"]) for p in projects] == [("Inbox", claims["sub"])]

    wrong = _tasklane("user", "login", email, "--password", PASSWORD + "!", *api, cwd=tmp_path)
    assert (wrong.returncode, wrong.stdout) == (1, "")
    assert wrong.stderr == "tasklane: wrong e-mail or password\n"


def test_cli_login_ignores_a_missing_aws_profile(
    stack: StackProcess, alice: User, tmp_path: Path
) -> None:
    login = _tasklane(
        "user",
        "login",
        alice.email,
        "--password",
        PASSWORD,
        "--api",
        stack.api_url,
        cwd=tmp_path,
        env=clean_env(AWS_PROFILE=MISSING_PROFILE),
    )

    assert login.returncode == 0, login.stderr[-2000:]
    assert unverified_claims(login.stdout.strip())["email"] == alice.email


def test_dev_starts_with_a_missing_aws_profile_in_the_shell(tmp_path: Path) -> None:
    process = StackProcess(tmp_path, env=clean_env(AWS_PROFILE=MISSING_PROFILE))
    try:
        process.start()
        assert process.stop() == 0
        assert process.leftovers() == []
    finally:
        process.kill()  # nothing left to kill once stopped
