"""The WebSocket API's route function (handlers/realtime.py) on the fakes: ``$connect``
stores the token expiry the authorizer put in its context, as a number or as the decimal
string API Gateway may turn it into; later messages are judged by it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tasklane.domain.live_tokens import ASSUMED_TOKEN_SECONDS
from tasklane.domain.models import utc_now
from tasklane.handlers import realtime
from tasklane.settings import Settings
from tasklane.wiring.realtime import RealtimeContainer, root
from tests.fakes.live import InMemoryConnections
from tests.fakes.table import InMemoryTable

USER = "user-ada"
#: When the connection was opened (requestContext.connectedAt, ms).
CONNECTED_AT_MS = 1_780_000_000_123


def _event(route: str, authorizer: dict[str, Any], body: str | None = None) -> dict[str, Any]:
    return {
        "requestContext": {
            "routeKey": route,
            "connectionId": "c-1",
            "connectedAt": CONNECTED_AT_MS,
            "authorizer": {"principalId": USER, "user_id": USER, **authorizer},
        },
        "body": body,
    }


def _call(store: InMemoryConnections, event: dict[str, Any]) -> dict[str, Any]:
    container = RealtimeContainer(Settings.from_environment({}))
    container.override(connections=store)
    with root.overridden(container):
        reply: dict[str, Any] = realtime.lambda_handler(event, _context())
    return reply


def _stored_expiry(store: InMemoryConnections) -> int | None:
    [connection] = store.user_connections(USER)
    return connection.token_expires_at


@pytest.mark.parametrize(
    ("expires_at", "stored"),
    [
        (1_780_003_600, 1_780_003_600),  # a number, as the authorizer returns it
        ("1780003600", 1_780_003_600),  # a string, as API Gateway may pass it on
        (None, CONNECTED_AT_MS // 1000 + ASSUMED_TOKEN_SECONDS),  # missing: assumed
        ("soon", CONNECTED_AT_MS // 1000 + ASSUMED_TOKEN_SECONDS),  # unreadable: assumed
        (True, CONNECTED_AT_MS // 1000 + ASSUMED_TOKEN_SECONDS),
    ],
)
def test_connect_stores_the_authorizers_token_expiry(expires_at: object, stored: int) -> None:
    store = InMemoryConnections(InMemoryTable())
    context = {} if expires_at is None else {"expires_at": expires_at}

    assert _call(store, _event("$connect", context))["statusCode"] == 200

    assert _stored_expiry(store) == stored


def test_a_message_after_the_token_expired_is_answered_token_expired() -> None:
    store = InMemoryConnections(InMemoryTable())
    now = int(utc_now().timestamp())
    ping = json.dumps({"action": "ping"})

    valid = _call(store, _event("$default", {"expires_at": str(now + 600)}, ping))
    expired = _call(store, _event("$default", {"expires_at": str(now - 1)}, ping))

    assert json.loads(valid["body"]) == {"type": "pong"}
    assert json.loads(expired["body"])["error"]["code"] == "token_expired"


def _context() -> Any:
    class Context:
        function_name = "realtime"
        memory_limit_in_mb = 256
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:realtime"
        aws_request_id = "req-1"

    return Context()
