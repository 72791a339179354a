"""API Gateway REST proxy events, from the builder the local gateway uses.

The event has the shape API Gateway sends for a ``/{proxy+}`` resource behind a Cognito
authorizer: the verified claims sit in ``requestContext.authorizer.claims``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tasklane.local.invoke import invoke, proxy_event

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def rest_event(
    method: str,
    path: str,
    *,
    user: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST proxy event; ``user`` becomes the authorizer's ``sub`` claim."""
    text, header_pairs, params = _request(body, headers, query)
    return proxy_event(
        method,
        path,
        claims=_claims(user),
        body=text,
        headers=header_pairs,
        query=params,
        stage="bench",
    )


def _request(
    body: Any, headers: dict[str, str] | None, query: dict[str, Any] | None
) -> tuple[bytes, list[tuple[str, str]], list[tuple[str, str]]]:
    """Body as JSON bytes (with its Content-Type), header pairs, query pairs."""
    headers = dict(headers or {})
    text = b""
    if body is not None:
        text = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    params = [(k, str(v)) for k, v in (query or {}).items() if v is not None]
    return text, list(headers.items()), params


def _claims(user: str | None) -> dict[str, str] | None:
    return {"sub": user, "email": f"{user}@example.com", "token_use": "id"} if user else None


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


class Client:
    """Calls a handler in-process with REST proxy events, as one signed-in user."""

    def __init__(self, handler: Handler, user: str) -> None:
        self._handler = handler
        self.user = user

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
    ) -> Reply:
        text, header_pairs, params = _request(body, headers, query)
        response = invoke(
            self._handler,
            method,
            path,
            claims=_claims(self.user),
            body=text,
            headers=header_pairs,
            query=params,
        )
        raw = response.body.decode()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return Reply(response.status, {k.lower(): v for k, v in response.headers}, parsed)
