"""The local API Gateway, driven over HTTP with a stand-in handler that echoes its event."""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tasklane.cli.users import Tokens
from tasklane.local.auth import TokenVerifier
from tasklane.local.gateway import LOGGER_NAME, MAX_REQUEST_BYTES, Handler, create_app
from tasklane.local.net import base_url, listen
from tasklane.local.runtime import ThreadedUvicorn

from .support import Forge, echo_handler

WEB_ORIGIN = "http://localhost:3000"
ACCESS_LOG = f"{LOGGER_NAME}.access"


class Recorder:
    """Echoes, and remembers what it was called with."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.result: dict[str, Any] | None = None

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        return self.result or echo_handler(event, context)


@contextmanager
def serve(verifier: TokenVerifier, handler: Handler) -> Iterator[httpx.Client]:
    """The gateway on a free port, behind a real HTTP server, and a client for it."""
    sock = listen("127.0.0.1", 0, service="API")
    url = base_url("127.0.0.1", sock.getsockname()[1])
    server = ThreadedUvicorn(
        create_app(verify=verifier.verify, handler=handler, cors_origins=[WEB_ORIGIN]), sock
    )
    server.start()
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served(verifier: TokenVerifier) -> Iterator[tuple[httpx.Client, Recorder]]:
    recorder = Recorder()
    with serve(verifier, recorder) as client:
        yield client, recorder


@pytest.fixture
def handler(served: tuple[httpx.Client, Recorder]) -> Recorder:
    recorder = served[1]
    recorder.events.clear()
    recorder.result = None
    return recorder


@pytest.fixture
def client(served: tuple[httpx.Client, Recorder], handler: Recorder) -> httpx.Client:
    return served[0]  # `handler` is requested so that each test starts with a fresh recorder


@pytest.fixture
def auth(tokens: Tokens) -> dict[str, str]:
    return {"Authorization": tokens.id_token}


def _event(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()["event"]
    return event


# --- the authorizer ------------------------------------------------------------------------


def test_claims_of_the_verified_token_reach_the_handler(
    client: httpx.Client, auth: dict[str, str], verifier: TokenVerifier, tokens: Tokens
) -> None:
    claims = _event(client.get("/projects", headers=auth))["requestContext"]["authorizer"]["claims"]

    expected = verifier.verify(tokens.id_token)
    assert claims["sub"] == expected["sub"]
    assert claims["email"] == "ada@example.com"
    assert claims["token_use"] == "id"
    # As API Gateway hands them on: every value a string, exp/iat as dates.
    assert all(isinstance(value, str) for value in claims.values())
    assert claims["exp"] == time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(expected["exp"]))
    assert claims["auth_time"] == str(expected["auth_time"])


def test_a_bearer_token_is_accepted(client: httpx.Client, tokens: Tokens) -> None:
    response = client.get("/projects", headers={"Authorization": f"Bearer {tokens.id_token}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 60}, {"aud": "someone-else"}, {"token_use": "access"}],
    ids=["expired", "wrong-audience", "access-token-use"],
)
def test_bad_tokens_get_401_without_reaching_the_handler(
    client: httpx.Client, handler: Recorder, forge: Forge, claims: dict[str, object]
) -> None:
    response = client.get("/projects", headers={"Authorization": forge(**claims)})

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert response.headers["content-type"] == "application/json"
    assert handler.events == []


def test_an_access_token_gets_401(client: httpx.Client, handler: Recorder, tokens: Tokens) -> None:
    response = client.get("/projects", headers={"Authorization": tokens.access_token})

    assert response.status_code == 401
    assert handler.events == []


@pytest.mark.parametrize("header", [None, "", "Bearer", "not-a-jwt"])
def test_a_missing_or_unreadable_token_gets_401(
    client: httpx.Client, handler: Recorder, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}

    response = client.post("/projects", headers=headers, json={"name": "x"})

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert handler.events == []


def test_a_401_carries_cors_headers_for_the_web_app(client: httpx.Client) -> None:
    response = client.get("/projects", headers={"Origin": WEB_ORIGIN})

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == WEB_ORIGIN
    assert (
        "access-control-allow-origin"
        not in client.get("/projects", headers={"Origin": "https://evil.example"}).headers
    )


@pytest.mark.parametrize("path", ["/health", "/config", "/openapi.json", "/docs", "/docs?x=1"])
def test_public_routes_need_no_token(client: httpx.Client, handler: Recorder, path: str) -> None:
    event = _event(client.get(path))

    assert "authorizer" not in event["requestContext"]
    assert len(handler.events) == 1


def test_public_routes_are_public_for_get_only(client: httpx.Client) -> None:
    assert client.post("/health").status_code == 401
    assert client.delete("/calendar/tlcal_x.ics").status_code == 401
    assert client.get("/calendar/a/b").status_code == 401  # one segment after the prefix


def test_calendar_feeds_are_public_and_their_secret_is_not_logged(
    client: httpx.Client, handler: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOG):
        event = _event(client.get("/calendar/tlcal_secret.ics"))

    assert "authorizer" not in event["requestContext"]
    assert event["path"] == "/calendar/tlcal_secret.ics"
    lines = [json.loads(r.message) for r in caplog.records if r.name == ACCESS_LOG]
    assert [line["path"] for line in lines] == ["/calendar/{token}"]
    assert "tlcal_secret" not in caplog.text


def test_preflight_needs_no_token(client: httpx.Client, handler: Recorder) -> None:
    response = client.options(
        "/projects/p1/tasks",
        headers={"Origin": WEB_ORIGIN, "Access-Control-Request-Method": "POST"},
    )

    assert _event(response)["httpMethod"] == "OPTIONS"
    assert len(handler.events) == 1


# --- the event -----------------------------------------------------------------------------


def test_event_shape(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.get(
        "/projects/p1/tasks?status=open&label=a&label=b",
        headers=[*auth.items(), ("X-Trace", "one"), ("X-Trace", "two")],
    )
    event = _event(response)
    context = response.json()["context"]

    assert event["resource"] == "/{proxy+}"
    assert event["path"] == "/projects/p1/tasks"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"proxy": "projects/p1/tasks"}
    assert event["stageVariables"] is None
    assert event["queryStringParameters"] == {"status": "open", "label": "b"}
    assert event["multiValueQueryStringParameters"] == {"status": ["open"], "label": ["a", "b"]}
    assert event["headers"]["x-trace"] == "two"
    assert event["multiValueHeaders"]["x-trace"] == ["one", "two"]
    assert event["body"] is None
    assert event["isBase64Encoded"] is False

    request_context = event["requestContext"]
    assert request_context["httpMethod"] == "GET"
    assert request_context["path"] == "/projects/p1/tasks"
    assert request_context["stage"] == "local"
    assert request_context["resourcePath"] == "/{proxy+}"
    assert request_context["identity"]["sourceIp"]
    assert abs(request_context["requestTimeEpoch"] / 1000 - time.time()) < 60
    assert response.headers["x-amzn-requestid"] == request_context["requestId"]

    assert context["function_name"] == "tasklane-api"
    assert context["invoked_function_arn"].endswith(":function:tasklane-api")
    assert context["memory_limit_in_mb"] == 1024
    assert 0 < context["remaining_ms"] <= 29_000
    assert context["aws_request_id"] != request_context["requestId"]


def test_the_root_has_its_own_resource(client: httpx.Client, auth: dict[str, str]) -> None:
    event = _event(client.get("/", headers=auth))

    assert event["resource"] == "/"
    assert event["pathParameters"] is None


def test_a_json_body_is_text(client: httpx.Client, auth: dict[str, str]) -> None:
    event = _event(client.post("/projects", headers=auth, json={"name": "Zoë"}))

    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"name": "Zoë"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/octet-stream", b"plain ascii, binary type"),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\xff"),
        ("text/plain", b"\xff\xfe not utf-8"),
    ],
)
def test_a_binary_body_is_base64(
    client: httpx.Client, auth: dict[str, str], content_type: str, body: bytes
) -> None:
    headers = {**auth, "Content-Type": content_type}

    event = _event(client.put("/projects/p1/avatar", headers=headers, content=body))

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


# --- the result ----------------------------------------------------------------------------


def test_result_headers_and_base64_body_become_the_response(
    client: httpx.Client, handler: Recorder
) -> None:
    handler.result = {
        "statusCode": 201,
        "headers": {"Content-Type": "image/png", "ETag": '"3"'},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": base64.b64encode(b"\x89PNG\x00\xff").decode(),
        "isBase64Encoded": True,
    }

    response = client.get("/health")

    assert response.status_code == 201
    assert response.content == b"\x89PNG\x00\xff"
    assert response.headers["content-type"] == "image/png"
    assert response.headers["etag"] == '"3"'
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]


def test_a_result_without_content_type_is_json(client: httpx.Client, handler: Recorder) -> None:
    handler.result = {"statusCode": 204}

    response = client.get("/health")

    assert response.status_code == 204
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "result",
    [{"body": "no status"}, {"statusCode": 200, "body": "!!", "isBase64Encoded": True}],
)
def test_a_malformed_result_is_502(
    client: httpx.Client, handler: Recorder, result: dict[str, Any]
) -> None:
    handler.result = result

    response = client.get("/health")

    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}


def test_a_failing_handler_is_502(verifier: TokenVerifier) -> None:
    def fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    with serve(verifier, fail) as client:
        response = client.get("/health")

    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}


# --- limits and logs -----------------------------------------------------------------------


def test_a_body_at_the_limit_reaches_the_handler(
    client: httpx.Client, handler: Recorder, auth: dict[str, str]
) -> None:
    handler.result = {"statusCode": 204}

    response = client.post("/projects", headers=auth, content=b"x" * MAX_REQUEST_BYTES)

    assert response.status_code == 204
    assert len(handler.events) == 1


def test_a_body_over_10_mb_is_413(
    client: httpx.Client, handler: Recorder, auth: dict[str, str]
) -> None:
    response = client.post("/projects", headers=auth, content=b"x" * (MAX_REQUEST_BYTES + 1))

    assert response.status_code == 413
    assert response.json() == {"message": "Request Too Long"}
    assert handler.events == []


def test_a_chunked_body_over_10_mb_is_413(
    client: httpx.Client, handler: Recorder, auth: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the gateway must count
        for _ in range(11):
            yield b"x" * (1024 * 1024)

    response = client.post("/projects", headers=auth, content=chunks())

    assert response.status_code == 413
    assert handler.events == []


def test_one_json_access_log_line_per_request(
    client: httpx.Client, auth: dict[str, str], verifier: TokenVerifier, tokens: Tokens,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    with caplog.at_level(logging.INFO, logger=ACCESS_LOG):
        response = client.get("/projects?secret=1", headers=auth)
        client.get("/projects")

    lines = [json.loads(r.message) for r in caplog.records if r.name == ACCESS_LOG]
    assert lines[0]["requestId"] == response.headers["x-amzn-requestid"]
    assert lines[0]["method"] == "GET"
    assert lines[0]["path"] == "/projects"
    assert lines[0]["status"] == 200
    assert lines[0]["latencyMs"] >= 0
    assert lines[0]["sub"] == verifier.verify(tokens.id_token)["sub"]
    assert (lines[1]["status"], lines[1]["sub"]) == (401, None)
    assert lines[0]["error"] is None
    assert "no token" in lines[1]["error"]
