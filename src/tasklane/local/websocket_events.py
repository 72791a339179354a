"""API Gateway WebSocket API shapes: the events its Lambda integrations and REQUEST authorizer
receive, and how it reads an authorizer's answer.

Pure functions over plain data (the socket itself is :mod:`tasklane.local.websocket`), so
the shapes can be read and tested without a server. They follow what API Gateway sends:

* ``$connect``: the upgrade request's headers and query string; ``$disconnect``: the close
  code and reason; a message route: the frame as ``body``. Every event's ``requestContext``
  names the ``routeKey``, ``eventType`` (``CONNECT``, ``DISCONNECT``, ``MESSAGE``) and
  ``connectionId``, and carries the ``$connect`` authorizer's context for the whole
  connection (``requestContext.authorizer``: ``principalId`` plus the context's keys).
* The authorizer's event is a ``REQUEST`` event whose ``methodArn`` ends with ``$connect``.
* Header names arrive lower-cased (as in :mod:`tasklane.local.apigateway`): read them
  case-insensitively.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CONNECT = "$connect"
DISCONNECT = "$disconnect"
DEFAULT = "$default"
#: Where a message names its route: ``$request.body.action``, the usual selection expression.
ROUTE_FIELD = "action"


class Refusal(StrEnum):
    """How API Gateway answers an upgrade it refuses, by cause."""

    #: No token, or the authorizer raised "Unauthorized".
    unauthorized = "401"
    #: The policy does not allow the route (or denies it).
    forbidden = "403"
    #: The authorizer failed otherwise, or answered something that is not a policy.
    error = "500"


@dataclass(frozen=True, slots=True)
class Upgrade:
    """The HTTP upgrade request a client opened the socket with."""

    headers: Sequence[tuple[str, str]]
    query: Sequence[tuple[str, str]]
    source_ip: str


@dataclass(frozen=True, slots=True)
class Connection:
    """What API Gateway keeps about an open connection."""

    connection_id: str
    connected_at_ms: int
    upgrade: Upgrade
    #: ``requestContext.authorizer`` for every route: principalId + the context.
    authorizer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        return next((v for k, v in self.upgrade.headers if k.lower() == "user-agent"), "")


@dataclass(frozen=True, slots=True)
class Api:
    """Where the API lives: the parts of its ARN and of every event's request context."""

    region: str
    account_id: str
    api_id: str
    stage: str
    domain_name: str

    def route_arn(self, route_key: str) -> str:
        return (
            f"arn:aws:execute-api:{self.region}:{self.account_id}:"
            f"{self.api_id}/{self.stage}/{route_key}"
        )


def _request_time(now: float) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))


def _context(
    api: Api,
    connection: Connection,
    route_key: str,
    request_id: str,
    now: float | None,
) -> dict[str, Any]:
    """``requestContext``: the same fields for every event, the route's own added after."""
    now = time.time() if now is None else now
    event_type = {CONNECT: "CONNECT", DISCONNECT: "DISCONNECT"}.get(route_key, "MESSAGE")
    context: dict[str, Any] = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": request_id,
        "requestTime": _request_time(now),
        "messageDirection": "IN",
        "stage": api.stage,
        "connectedAt": connection.connected_at_ms,
        "requestTimeEpoch": int(now * 1000),
        "identity": {
            "sourceIp": connection.upgrade.source_ip,
            "userAgent": connection.user_agent or None,
        },
        "requestId": request_id,
        "domainName": api.domain_name,
        "connectionId": connection.connection_id,
        "apiId": api.api_id,
    }
    if connection.authorizer:
        context["authorizer"] = dict(connection.authorizer)
    return context


def _single_and_multi(
    pairs: Sequence[tuple[str, str]],
) -> tuple[dict[str, str], dict[str, list[str]]]:
    multi: dict[str, list[str]] = {}
    for name, value in pairs:
        multi.setdefault(name, []).append(value)
    # The single-value map holds the last value of a repeated name, as in API Gateway.
    return {name: values[-1] for name, values in multi.items()}, multi


def _upgrade_request(connection: Connection) -> dict[str, Any]:
    """The upgrade request's headers and query string, as ``$connect`` events carry them."""
    headers, multi_headers = _single_and_multi(connection.upgrade.headers)
    query, multi_query = _single_and_multi(connection.upgrade.query)
    return {
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
    }


def authorizer_event(
    api: Api, connection: Connection, *, request_id: str, now: float | None = None
) -> dict[str, Any]:
    """The REQUEST authorizer's event for a connection being opened."""
    return {
        "type": "REQUEST",
        "methodArn": api.route_arn(CONNECT),
        **_upgrade_request(connection),
        "stageVariables": {},
        "requestContext": _context(api, connection, CONNECT, request_id, now),
    }


def connect_event(
    api: Api, connection: Connection, *, request_id: str, now: float | None = None
) -> dict[str, Any]:
    request = _upgrade_request(connection)
    # The $connect integration gets null, not {}, for an empty query string.
    for name in ("queryStringParameters", "multiValueQueryStringParameters"):
        request[name] = request[name] or None
    return {
        **request,
        "requestContext": _context(api, connection, CONNECT, request_id, now),
        "isBase64Encoded": False,
    }


def disconnect_event(
    api: Api,
    connection: Connection,
    *,
    status_code: int,
    reason: str,
    request_id: str,
    now: float | None = None,
) -> dict[str, Any]:
    context = _context(api, connection, DISCONNECT, request_id, now)
    context |= {"disconnectStatusCode": status_code, "disconnectReason": reason}
    return {
        "headers": {"Host": api.domain_name},
        "multiValueHeaders": {"Host": [api.domain_name]},
        "requestContext": context,
        "isBase64Encoded": False,
    }


def message_event(
    api: Api,
    connection: Connection,
    *,
    route_key: str,
    body: str,
    is_base64: bool,
    request_id: str,
    now: float | None = None,
) -> dict[str, Any]:
    context = _context(api, connection, route_key, request_id, now)
    context["messageId"] = request_id
    return {"requestContext": context, "body": body, "isBase64Encoded": is_base64}


def select_route(body: str | None, routes: Sequence[str]) -> str | None:
    """The route for a message: the JSON body's ``action`` when a route has that key, else
    ``$default`` when there is one, else None (API Gateway answers "Forbidden")."""
    if body is not None:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        action = parsed.get(ROUTE_FIELD) if isinstance(parsed, dict) else None
        if isinstance(action, str) and action in routes and not action.startswith("$"):
            return action
    return DEFAULT if DEFAULT in routes else None


# The authorizer's answer ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Authorized:
    """``requestContext.authorizer`` for every route of the connection."""

    context: dict[str, Any]


def read_authorizer_result(result: object, method_arn: str) -> Authorized | Refusal:
    """What API Gateway makes of a REQUEST authorizer's return value for ``method_arn``.

    A policy with an explicit Deny for the ARN, or without an Allow for it, refuses (403);
    a malformed answer, or a context value that is not a string, number or boolean, is an
    authorizer error (500). The caller turns a raised "Unauthorized" into 401 itself.
    """
    if not isinstance(result, Mapping):
        return Refusal.error
    principal = result.get("principalId")
    document = result.get("policyDocument")
    context = result.get("context") or {}
    if not isinstance(principal, str) or not isinstance(document, Mapping):
        return Refusal.error
    if not isinstance(context, Mapping) or not all(
        isinstance(v, str | int | float | bool) for v in context.values()
    ):
        return Refusal.error
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return Refusal.error
    allowed = False
    for statement in statements:
        if not isinstance(statement, Mapping) or not _covers(statement, method_arn):
            continue
        effect = statement.get("Effect")
        if effect == "Deny":
            return Refusal.forbidden
        allowed = allowed or effect == "Allow"
    if not allowed:
        return Refusal.forbidden
    return Authorized({"principalId": principal, **context})


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _covers(statement: Mapping[str, Any], method_arn: str) -> bool:
    actions = _as_list(statement.get("Action"))
    if not any(_matches(a, "execute-api:Invoke") for a in actions):
        return False
    return any(_matches(r, method_arn) for r in _as_list(statement.get("Resource")))


def _matches(pattern: str, value: str) -> bool:
    """IAM's wildcards: ``*`` any run of characters (``/`` included), ``?`` one character."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value) is not None
