"""The WebSocket API locally: the real ``$connect`` authorizer against moto's Cognito pool, the
socket served by the local gateway, and its Management API driven through boto3.

Route handlers are recorders: they prove which events reached a handler, and which never did.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tasklane.cli.users import Tokens
from tasklane.dal.id_tokens import TokenVerifier
from tasklane.handlers.realtime_authorizer import lambda_handler as real_authorizer
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.gateway import create_app
from tasklane.local.lambda_context import new_context
from tasklane.local.net import base_url, listen
from tasklane.local.runtime import ThreadedUvicorn
from tasklane.local.websocket import HandlerRef, WebSocketGateway, mount
from tasklane.wiring.realtime_authorizer import root as realtime_root

from .support import Forge, echo_handler


class Recorder:
    """A route handler that remembers its events and answers ``result``."""

    def __init__(self, result: Callable[[dict[str, Any]], Any] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self._result = result or (lambda event: {"statusCode": 200})
        self._seen = threading.Condition()

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        with self._seen:
            self.events.append(event)
            self._seen.notify_all()
        return self._result(event)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self._seen:
            assert self._seen.wait_for(lambda: len(self.events) >= count, timeout), (
                f"{len(self.events)} events, expected {count}"
            )
            return list(self.events)


@dataclass
class Handlers:
    connect: Recorder = field(default_factory=Recorder)
    disconnect: Recorder = field(default_factory=Recorder)
    default: Recorder = field(default_factory=Recorder)
    echo: Recorder = field(
        default_factory=lambda: Recorder(
            lambda event: {"statusCode": 200, "body": json.dumps({"echo": event["body"]})}
        )
    )

    def all_events(self) -> list[dict[str, Any]]:
        return [
            e for r in (self.connect, self.disconnect, self.default, self.echo) for e in r.events
        ]


#: Route key → the Handlers attribute that serves it.
ROUTE_KEYS = {
    "$connect": "connect",
    "$disconnect": "disconnect",
    "$default": "default",
    "echo": "echo",
}


@dataclass
class Served:
    handlers: Handlers
    url: str = ""
    gateway: WebSocketGateway | None = None

    @property
    def socket_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/realtime"

    @property
    def connection_count(self) -> int:
        assert self.gateway is not None
        return self.gateway.connection_count

    def management(self) -> Any:
        """A boto3 client, exactly as the events function will make it; only the endpoint
        differs from AWS."""
        return boto3.client(
            "apigatewaymanagementapi",
            endpoint_url=f"{self.url}/realtime",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # pragma: allowlist secret - moto dummy key
        )


@dataclass(frozen=True)
class _Forward:
    """A route's handler: whichever recorder the test put in place."""

    served: Served
    name: str

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        return getattr(self.served.handlers, self.name)(event, context)


@pytest.fixture(scope="module")
def authorizer_settings(pool: LocalConfig) -> Iterator[None]:
    """What the local runtime gives every handler: the pool, moto's address, local mode."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_REGION", pool.region)
        patch.setenv("TASKLANE_USER_POOL_ID", pool.user_pool_id)
        patch.setenv("TASKLANE_USER_POOL_CLIENT_ID", pool.client_id)
        patch.setenv("TASKLANE_COGNITO_ENDPOINT", pool.endpoint_url)
        patch.setenv("TASKLANE_LOCAL_MODE", "1")
        realtime_root.use(None)
        yield
    realtime_root.use(None)


@contextmanager
def serve(
    verifier: TokenVerifier,
    *,
    authorizer: HandlerRef | None = real_authorizer,
    handlers: Handlers | None = None,
    keys: Mapping[str, str] = ROUTE_KEYS,
    **options: Any,
) -> Iterator[Served]:
    """The local gateway (REST and WebSocket, as `tasklane dev` serves them) on a free port."""
    served = Served(handlers or Handlers())
    app = create_app(verify=verifier.verify, handler=echo_handler)
    routes: dict[str, HandlerRef] = {key: _Forward(served, name) for key, name in keys.items()}
    served.gateway = mount(
        app, WebSocketGateway(authorizer=authorizer, routes=routes, two_way={"echo"}, **options)
    )
    sock = listen("127.0.0.1", 0, service="API")
    server = ThreadedUvicorn(app, sock)
    server.start()
    served.url = base_url("127.0.0.1", sock.getsockname()[1])
    try:
        yield served
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served(verifier: TokenVerifier, authorizer_settings: None) -> Iterator[Served]:
    with serve(verifier) as running:
        yield running


@pytest.fixture
def live(served: Served) -> Served:
    """The module's gateway with fresh recorders."""
    served.handlers = Handlers()
    return served


def lambda_context() -> Any:
    return new_context(
        function_name="tasklane-realtime-authorizer",
        region="us-east-1",
        account_id="123456789012",
        memory_mb=256,
        timeout_seconds=5,
    )


def open_socket(served: Served, token: str | None) -> ClientConnection:
    url = served.socket_url + (f"?token={token}" if token is not None else "")
    return connect(url, open_timeout=10, close_timeout=2)


def refused_status(served: Served, token: str | None) -> int:
    with pytest.raises(InvalidStatus) as refused:
        open_socket(served, token).close()
    return refused.value.response.status_code


# Authorization -------------------------------------------------------------------------------


def test_a_valid_id_token_connects_and_every_route_knows_the_user(
    live: Served, tokens: Tokens, verifier: TokenVerifier
) -> None:
    user_id = verifier.verify(tokens.id_token)["sub"]

    with open_socket(live, tokens.id_token) as socket:
        socket.send(json.dumps({"action": "subscribe", "project_id": "p1"}))
        (message,) = live.handlers.default.wait_for(1)

    (connected,) = live.handlers.connect.wait_for(1)
    (disconnected,) = live.handlers.disconnect.wait_for(1)
    connection_id = connected["requestContext"]["connectionId"]
    for event, route, kind in [
        (connected, "$connect", "CONNECT"),
        (message, "$default", "MESSAGE"),
        (disconnected, "$disconnect", "DISCONNECT"),
    ]:
        context = event["requestContext"]
        assert (context["routeKey"], context["eventType"]) == (route, kind)
        assert context["connectionId"] == connection_id
        assert context["authorizer"]["user_id"] == user_id
        assert context["authorizer"]["principalId"] == user_id
    assert connected["queryStringParameters"]["token"] == tokens.id_token
    assert json.loads(message["body"]) == {"action": "subscribe", "project_id": "p1"}
    assert disconnected["requestContext"]["disconnectStatusCode"] == 1000


@pytest.mark.parametrize(
    "bad",
    ["expired", "tampered", "wrong-audience", "access-token", "other-key", "garbage", "missing"],
)
def test_only_a_valid_id_token_connects_and_refused_ones_reach_no_handler(
    live: Served, tokens: Tokens, forge: Forge, bad: str
) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    header, _payload, signature = tokens.id_token.split(".")
    _, forged_payload, _ = forge(email="mallory@example.com").split(".")
    token = {
        "expired": forge(exp=int(time.time()) - 1),
        "tampered": f"{header}.{forged_payload}.{signature}",
        "wrong-audience": forge(aud="another-client"),
        "access-token": tokens.access_token,
        "other-key": forge(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "garbage": "not-a-jwt",
        "missing": None,
    }[bad]

    assert refused_status(live, token) == 401
    time.sleep(0.2)  # a handler called late would show up here
    assert live.handlers.all_events() == []
    assert live.connection_count == 0


def test_the_authorizer_answers_a_policy_for_the_connect_route_only(
    tokens: Tokens, verifier: TokenVerifier, authorizer_settings: None
) -> None:
    arn = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/$connect"
    event = {
        "type": "REQUEST",
        "methodArn": arn,
        "queryStringParameters": {"token": tokens.id_token},
    }

    answer = real_authorizer(event, lambda_context())

    user_id = verifier.verify(tokens.id_token)["sub"]
    assert answer["principalId"] == user_id
    assert answer["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [arn]}
    ]
    assert answer["context"]["user_id"] == user_id
    assert isinstance(answer["context"]["expires_at"], int)
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        real_authorizer({**event, "queryStringParameters": {"token": "x.y.z"}}, lambda_context())


def test_a_deny_policy_is_403_and_a_failing_authorizer_500(
    verifier: TokenVerifier, tokens: Tokens
) -> None:
    def deny(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {
            "principalId": "x",
            "policyDocument": {
                "Statement": [
                    {
                        "Action": "execute-api:Invoke",
                        "Effect": "Deny",
                        "Resource": event["methodArn"],
                    }
                ]
            },
        }

    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise KeyError("oops")

    with serve(verifier, authorizer=deny) as denied:
        assert refused_status(denied, tokens.id_token) == 403
        assert denied.handlers.all_events() == []
    with serve(verifier, authorizer=broken) as failing:
        assert refused_status(failing, tokens.id_token) == 500
        assert failing.handlers.all_events() == []


def test_a_connect_handler_that_refuses_refuses_the_upgrade(
    verifier: TokenVerifier, tokens: Tokens, authorizer_settings: None
) -> None:
    handlers = Handlers(connect=Recorder(lambda event: {"statusCode": 403}))

    with serve(verifier, handlers=handlers) as refusing:
        assert refused_status(refusing, tokens.id_token) == 403
        assert len(refusing.handlers.connect.events) == 1
        time.sleep(0.2)
        assert refusing.handlers.disconnect.events == []  # never connected


# Messages ------------------------------------------------------------------------------------


def test_route_selection_two_way_replies_and_errors(live: Served, tokens: Tokens) -> None:
    live.handlers.default = Recorder(lambda event: 1 / 0)

    with open_socket(live, tokens.id_token) as socket:
        socket.send(json.dumps({"action": "echo", "n": 1}))
        assert json.loads(socket.recv(timeout=10)) == {"echo": '{"action": "echo", "n": 1}'}
        socket.send("not json")
        failed = json.loads(socket.recv(timeout=10))

    assert failed["message"] == "Internal server error"
    assert set(failed) == {"message", "connectionId", "requestId"}
    assert [e["requestContext"]["routeKey"] for e in live.handlers.echo.events] == ["echo"]
    assert len(live.handlers.default.events) == 1


def test_without_a_route_for_it_a_message_is_forbidden(
    verifier: TokenVerifier, tokens: Tokens, authorizer_settings: None
) -> None:
    with (
        serve(verifier, keys={"$connect": "connect"}) as bare,
        open_socket(bare, tokens.id_token) as socket,
    ):
        socket.send(json.dumps({"action": "subscribe"}))
        assert json.loads(socket.recv(timeout=10))["message"] == "Forbidden"


def test_a_message_over_128_kb_closes_the_connection(
    verifier: TokenVerifier, tokens: Tokens, authorizer_settings: None
) -> None:
    with (
        serve(verifier, max_message_bytes=1024) as small,
        open_socket(small, tokens.id_token) as socket,
    ):
        socket.send("x" * 1025)
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
        (gone,) = small.handlers.disconnect.wait_for(1)
        assert gone["requestContext"]["disconnectStatusCode"] == 1009
        assert small.handlers.default.events == []


def test_an_idle_connection_is_closed_and_disconnected(
    verifier: TokenVerifier, tokens: Tokens, authorizer_settings: None
) -> None:
    with serve(verifier, idle_timeout=0.5) as idle, open_socket(idle, tokens.id_token) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1001
        (gone,) = idle.handlers.disconnect.wait_for(1)
        assert gone["requestContext"]["disconnectReason"] == "Idle timeout"


# The Management API --------------------------------------------------------------------------


def _connection_id(live: Served, index: int = 0) -> str:
    events = live.handlers.connect.wait_for(index + 1)
    return str(events[index]["requestContext"]["connectionId"])


def test_post_to_connection_reaches_the_socket(live: Served, tokens: Tokens) -> None:
    management = live.management()
    payload = {"type": "changes", "changes": [{"kind": "task", "id": "t1", "version": 2}]}

    with open_socket(live, tokens.id_token) as socket:
        connection_id = _connection_id(live)
        management.post_to_connection(ConnectionId=connection_id, Data=json.dumps(payload).encode())
        received = socket.recv(timeout=10)
        info = management.get_connection(ConnectionId=connection_id)

    assert json.loads(received) == payload
    assert isinstance(received, str)  # a text frame, as a browser expects JSON
    assert info["Identity"]["SourceIp"] == "127.0.0.1"
    assert info["ConnectedAt"] <= info["LastActiveAt"]


def test_a_gone_connection_answers_gone_exception(live: Served, tokens: Tokens) -> None:
    management = live.management()
    with open_socket(live, tokens.id_token):
        connection_id = _connection_id(live)
    live.handlers.disconnect.wait_for(1)

    calls: tuple[Callable[[], object], ...] = (
        lambda: management.post_to_connection(ConnectionId=connection_id, Data=b"{}"),
        lambda: management.get_connection(ConnectionId=connection_id),
        lambda: management.delete_connection(ConnectionId=connection_id),
        lambda: management.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"{}"),
    )
    for call in calls:
        with pytest.raises(ClientError) as gone:
            call()
        assert gone.value.response["Error"]["Code"] == "GoneException"
        assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
        assert isinstance(gone.value, management.exceptions.GoneException)


def test_delete_connection_closes_the_socket_and_runs_disconnect(
    live: Served, tokens: Tokens
) -> None:
    management = live.management()

    with open_socket(live, tokens.id_token) as socket:
        connection_id = _connection_id(live)
        management.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=10)

    (gone,) = live.handlers.disconnect.wait_for(1)
    assert gone["requestContext"]["connectionId"] == connection_id
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId=connection_id, Data=b"{}")


def test_oversized_data_is_payload_too_large(live: Served, tokens: Tokens) -> None:
    management = live.management()
    with open_socket(live, tokens.id_token) as socket:
        connection_id = _connection_id(live)
        with pytest.raises(management.exceptions.PayloadTooLargeException):
            management.post_to_connection(ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))
        management.post_to_connection(ConnectionId=connection_id, Data=b"x" * (128 * 1024))
        assert len(socket.recv(timeout=10)) == 128 * 1024


def test_an_unsigned_request_cannot_post(live: Served, tokens: Tokens) -> None:
    """What a web page could send: no SigV4 signature for execute-api."""
    with open_socket(live, tokens.id_token) as socket:
        connection_id = _connection_id(live)
        for headers in ({}, {"Authorization": tokens.id_token}):
            response = httpx.post(
                f"{live.url}/realtime/@connections/{connection_id}",
                content=b'{"forged": true}',
                headers=headers,
            )
            assert response.status_code == 403
            assert response.headers["x-amzn-errortype"] == "ForbiddenException"
        live.management().post_to_connection(ConnectionId=connection_id, Data=b'{"real": 1}')
        assert json.loads(socket.recv(timeout=10)) == {"real": 1}


def test_the_rest_api_is_still_served_beside_the_socket(live: Served, tokens: Tokens) -> None:
    response = httpx.get(f"{live.url}/projects", headers={"Authorization": tokens.id_token})

    assert response.status_code == 200
    assert response.json()["event"]["path"] == "/projects"
