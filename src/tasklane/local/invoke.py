"""Calling the API handler in-process, exactly as the local gateway does, minus HTTP.

Integration tests and benchmarks use this so that the events they send are the events the
gateway builds (one builder: :func:`tasklane.local.apigateway.build_event`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tasklane.local.apigateway import HttpRequest, HttpResponse, build_event, parse_result
from tasklane.local.lambda_context import new_context

#: moto's default account, so ARNs in events match the resources moto reports.
LOCAL_ACCOUNT_ID = "123456789012"

Handler = Callable[[dict[str, Any], Any], Any]


def proxy_event(
    method: str,
    path: str,
    *,
    claims: Mapping[str, Any] | None = None,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    query: Sequence[tuple[str, str]] = (),
    stage: str = "local",
) -> dict[str, Any]:
    """An API Gateway REST proxy event; ``claims`` as the Cognito authorizer passes them."""
    return build_event(
        HttpRequest(
            method=method,
            path=path,
            query=query,
            headers=headers,
            body=body,
            source_ip="127.0.0.1",
        ),
        request_id=str(uuid.uuid4()),
        stage=stage,
        account_id=LOCAL_ACCOUNT_ID,
        claims=claims,
    )


def invoke(
    handler: Handler,
    method: str,
    path: str,
    *,
    claims: Mapping[str, Any] | None = None,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    query: Sequence[tuple[str, str]] = (),
    region: str = "us-east-1",
) -> HttpResponse:
    """Calls ``handler`` with the event for this request and returns the HTTP response."""
    event = proxy_event(method, path, claims=claims, body=body, headers=headers, query=query)
    context = new_context(
        function_name="tasklane-api",
        region=region,
        account_id=LOCAL_ACCOUNT_ID,
        memory_mb=1024,
        timeout_seconds=29.0,
    )
    return parse_result(handler(event, context))
