"""API Gateway REST proxy events and a Lambda context, built here (not imported from tests/).

The event has the shape API Gateway sends for a ``/{proxy+}`` resource behind a Cognito
authorizer: the verified claims sit in ``requestContext.authorizer.claims``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    headers = dict(headers or {})
    text = None
    if body is not None:
        text = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    params = {k: str(v) for k, v in (query or {}).items() if v is not None}
    claims = {"sub": user, "email": f"{user}@example.com", "token_use": "id"} if user else None
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": params or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in params.items()} or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "000000000000",
            "requestId": str(uuid.uuid4()),
            "stage": "bench",
            "httpMethod": method,
            "path": path,
            "resourcePath": "/{proxy+}",
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": {"claims": claims} if claims else None,
        },
        "body": text,
        "isBase64Encoded": False,
    }


class Context:
    """The attributes of the Lambda context object that Powertools reads."""

    function_name = "tasklane-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:tasklane-api"
    log_group_name = "/aws/lambda/tasklane-api"
    log_stream_name = "bench"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


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

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        event = rest_event(method, path, user=self.user, body=body, **kwargs)
        result = self._handler(event, Context())
        raw = result.get("body") or ""
        if result.get("isBase64Encoded"):
            raw = base64.b64decode(raw).decode()
        headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name.lower()] = ", ".join(values)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return Reply(result["statusCode"], headers, parsed)
