"""The whole local stack: start, use, stop, start again; nothing left behind."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasklane.local.net import PortInUseError, listen
from tasklane.local.runtime import LocalStack, cursor_secret

from .support import PASSWORD, echo_handler, is_listening


def _env_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps(dict(os.environ))}


def _new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since ``before`` that are still alive, after a short grace period."""
    deadline = time.monotonic() + 3
    while True:
        alive = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_start_stop_twice_leaves_no_thread_port_or_variable(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    environ = dict(os.environ)

    for _ in range(2):
        with LocalStack(port=0, aws_port=0, state_dir=tmp_path, handler=echo_handler) as stack:
            api_url, aws_url = stack.api_url, stack.aws_endpoint_url
            assert httpx.get(f"{api_url}/health").status_code == 200
            assert httpx.get(f"{api_url}/projects").status_code == 401
            assert os.environ["AWS_ENDPOINT_URL"] == aws_url

        assert not is_listening(api_url)
        assert not is_listening(aws_url)
        assert _new_threads(before) == []
        assert dict(os.environ) == environ


def test_the_handler_gets_its_lambda_environment(tmp_path: Path) -> None:
    with LocalStack(port=0, aws_port=0, state_dir=tmp_path, handler=_env_handler) as stack:
        env = httpx.get(f"{stack.api_url}/health").json()
        api_url, config = stack.api_url, stack.config

    assert env["AWS_ENDPOINT_URL"] == config.endpoint_url
    assert env["AWS_REGION"] == config.region
    assert env["TASKLANE_TABLE_NAME"] == config.table_name
    assert env["TASKLANE_USER_POOL_ID"] == config.user_pool_id
    assert env["TASKLANE_USER_POOL_CLIENT_ID"] == config.client_id
    assert env["TASKLANE_COGNITO_ENDPOINT"] == config.endpoint_url
    assert env["TASKLANE_API_URL"] == api_url
    assert env["TASKLANE_CURSOR_SECRET"] == (tmp_path / "cursor-secret").read_text().strip()
    assert env["TASKLANE_LOCAL_MODE"] == "1"
    assert "AWS_PROFILE" not in env


def test_a_created_user_can_call_the_api(tmp_path: Path) -> None:
    with LocalStack(port=0, aws_port=0, state_dir=tmp_path, handler=echo_handler) as stack:
        tokens = stack.create_user("grace@example.com", PASSWORD)
        response = httpx.get(
            f"{stack.api_url}/projects", headers={"Authorization": tokens.id_token}
        )

    claims = response.json()["event"]["requestContext"]["authorizer"]["claims"]
    assert claims["email"] == "grace@example.com"


def test_the_cursor_secret_survives_restarts(tmp_path: Path) -> None:
    first = cursor_secret(tmp_path / ".local")

    assert cursor_secret(tmp_path / ".local") == first
    assert len(first) >= 32
    path = tmp_path / ".local" / "cursor-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (tmp_path / ".local" / ".gitignore").read_text() == "*\n"


@pytest.mark.parametrize("busy", ["API", "AWS emulator"])
def test_a_busy_port_fails_before_anything_starts(tmp_path: Path, busy: str) -> None:
    before = set(threading.enumerate())
    environ = dict(os.environ)

    with listen("127.0.0.1", 0, service="test") as occupied:
        port = occupied.getsockname()[1]
        ports = {"port": port, "aws_port": 0} if busy == "API" else {"port": 0, "aws_port": port}
        stack = LocalStack(**ports, state_dir=tmp_path, handler=echo_handler)

        with pytest.raises(PortInUseError) as raised:
            stack.start()

    assert (raised.value.port, raised.value.service) == (port, busy)
    assert _new_threads(before) == []
    assert dict(os.environ) == environ


def test_each_stack_in_a_process_answers_with_its_own_cors_origins(tmp_path: Path) -> None:
    """The api handler's resolver is made at import, as Lambda's init; a stack started after
    another in the same process (tests, benchmarks) brings new settings, and the resolver
    follows them: a browser at the second stack's web origin may read its answers."""
    for origin in ("http://first.test:3000", "http://second.test:3000"):
        with LocalStack(
            port=0,
            aws_port=0,
            state_dir=tmp_path / origin.split("/")[-1],
            cors_origins=(origin,),
            postgres=False,
        ) as stack:
            api_url = stack.api_url
            response = httpx.get(f"{api_url}/config", headers={"Origin": origin})
        assert response.status_code == 200
        assert response.headers.get("access-control-allow-origin") == origin
        assert response.json()["api_url"] == api_url
