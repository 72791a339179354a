"""API Gateway WebSocket shapes (tasklane.local.websocket_events): events, route selection and
how an authorizer's answer is read. Pure: no server."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.local.websocket_events import (
    Api,
    Authorized,
    Connection,
    Refusal,
    Upgrade,
    authorizer_event,
    connect_event,
    disconnect_event,
    message_event,
    read_authorizer_result,
    select_route,
)

API = Api(
    region="eu-west-1",
    account_id="123456789012",
    api_id="abcdef123",
    stage="local",
    domain_name="127.0.0.1:8000",
)
ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef123/local/$connect"
UPGRADE = Upgrade(
    headers=[
        ("host", "127.0.0.1:8000"),
        ("user-agent", "pytest"),
        ("x-repeat", "a"),
        ("x-repeat", "b"),
    ],
    query=[("token", "t0k3n")],
    source_ip="127.0.0.9",
)
OPEN = Connection(
    connection_id="L0SM9cOFvHcCIhw=",
    connected_at_ms=1_700_000_000_000,
    upgrade=UPGRADE,
    authorizer={"principalId": "u1", "user_id": "u1", "integrationLatency": 3},
)


def test_the_authorizer_gets_a_request_event_for_the_connect_route() -> None:
    event = authorizer_event(API, OPEN, request_id="r1", now=1_700_000_000.5)

    assert event["type"] == "REQUEST"
    assert event["methodArn"] == ARN
    assert event["queryStringParameters"] == {"token": "t0k3n"}
    assert event["headers"]["x-repeat"] == "b"
    assert event["multiValueHeaders"]["x-repeat"] == ["a", "b"]
    context = event["requestContext"]
    assert (context["routeKey"], context["eventType"]) == ("$connect", "CONNECT")
    assert context["connectionId"] == OPEN.connection_id
    assert context["identity"] == {"sourceIp": "127.0.0.9", "userAgent": "pytest"}
    assert context["requestTimeEpoch"] == 1_700_000_000_500


def test_every_route_event_carries_the_authorizer_context() -> None:
    events = [
        connect_event(API, OPEN, request_id="r1"),
        message_event(API, OPEN, route_key="$default", body="{}", is_base64=False, request_id="r2"),
        disconnect_event(API, OPEN, status_code=1001, reason="Going away", request_id="r3"),
    ]

    assert [e["requestContext"]["eventType"] for e in events] == [
        "CONNECT",
        "MESSAGE",
        "DISCONNECT",
    ]
    for event in events:
        assert event["requestContext"]["authorizer"]["user_id"] == "u1"
        assert event["requestContext"]["connectionId"] == OPEN.connection_id
        assert event["requestContext"]["stage"] == "local"
    assert events[1]["body"] == "{}"
    assert events[1]["requestContext"]["messageId"] == "r2"
    assert events[2]["requestContext"]["disconnectStatusCode"] == 1001
    assert events[2]["requestContext"]["disconnectReason"] == "Going away"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"action": "subscribe", "project_id": "p"}', "subscribe"),
        ('{"action": "unknown"}', "$default"),
        ('{"action": "$connect"}', "$default"),  # reserved keys are never selected
        ('{"action": 7}', "$default"),
        ("not json", "$default"),
        ("[1, 2]", "$default"),
        (None, "$default"),  # a binary frame
    ],
)
def test_route_selection_on_the_action_field(body: str | None, expected: str) -> None:
    assert select_route(body, ["$connect", "$default", "subscribe"]) == expected


def test_without_a_default_route_an_unmatched_message_has_no_route() -> None:
    assert select_route('{"action": "other"}', ["subscribe"]) is None


def _policy(effect: str = "Allow", resource: Any = ARN, **extra: Any) -> dict[str, Any]:
    return {
        "principalId": "u1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
        **extra,
    }


@pytest.mark.parametrize(
    "resource",
    [ARN, [ARN], "arn:aws:execute-api:eu-west-1:123456789012:abcdef123/*", "*"],
)
def test_an_allow_for_the_route_authorizes_with_the_context(resource: Any) -> None:
    outcome = read_authorizer_result(_policy(resource=resource, context={"user_id": "u1"}), ARN)

    assert outcome == Authorized({"principalId": "u1", "user_id": "u1"})


@pytest.mark.parametrize(
    ("result", "refusal"),
    [
        pytest.param(_policy("Deny"), Refusal.forbidden, id="deny"),
        pytest.param(
            _policy(resource="arn:aws:execute-api:eu-west-1:123456789012:other/local/$connect"),
            Refusal.forbidden,
            id="another-api",
        ),
        pytest.param(
            {
                **_policy(),
                "policyDocument": {
                    "Statement": [
                        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"},
                        {"Action": "execute-api:*", "Effect": "Deny", "Resource": ARN},
                    ]
                },
            },
            Refusal.forbidden,
            id="explicit-deny-wins",
        ),
        pytest.param(None, Refusal.error, id="nothing"),
        pytest.param({"policyDocument": {}}, Refusal.error, id="no-principal"),
        pytest.param(_policy(context={"nested": {"a": 1}}), Refusal.error, id="nested-context"),
    ],
)
def test_anything_but_an_allow_refuses(result: Any, refusal: Refusal) -> None:
    assert read_authorizer_result(result, ARN) is refusal
