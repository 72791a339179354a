"""HTTP details shared by the routers: caller identity, ETags, preconditions, JSON bodies."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from pydantic import BaseModel

from tasklane.domain.errors import BadRequest, PreconditionFailed, TasklaneError

if TYPE_CHECKING:
    from tasklane.domain.profiles import Identity
    from tasklane.wiring.api import ApiContainer

#: Strong ETags only: If-Match compares strongly, so a weak tag never matches (RFC 9110).
_ETAG = re.compile(r'"([0-9]{1,18})"')
JSON = "application/json"

#: Where a route lists the request headers it reads (``openapi_extensions``); the OpenAPI
#: document turns them into the operation's header parameters (tasklane.api.openapi).
HEADERS_EXTENSION = "x-tasklane-headers"
IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "Apply only to this version: the `ETag` of a previous response "
    '(e.g. `"3"`), else 412. `*` or no header: any version. A tag of another form never '
    "matches (412).",
    "schema": {
        "type": "string",
        # HTTP drops whitespace around a header value (RFC 9110 OWS) before we see it.
        "pattern": '^(?:[*]|"[0-9]{1,18}")$',
        "examples": ["*", '"1"'],
    },
}
PREFER: dict[str, Any] = {
    "name": "Prefer",
    "in": "header",
    "required": False,
    "description": "`return=representation`: answer 200 with the changed resource (one more "
    "read) instead of 204.",
    "schema": {"type": "string"},
}


class Unauthorized(TasklaneError):
    status, code = 401, "unauthorized"


def caller_id(router: Router) -> str:
    """The Cognito ``sub`` the authorizer verified. API Gateway never calls us without it."""
    event = cast(APIGatewayProxyEvent, router.current_event)
    claims = event.request_context.authorizer.claims or {}
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise Unauthorized("missing or invalid credentials")
    return sub


def identity(router: Router) -> Identity:
    """The caller as the token describes them (for profiles, created on first sight): the
    e-mail address only if Cognito verified it, the name only if it is a valid display name."""
    # Imported here: the profiles' models (and the task models they build on) belong to the
    # route areas that ask who the caller is, not to every cold start (GET /health).
    from tasklane.domain.profiles import identity_from_claims

    event = cast(APIGatewayProxyEvent, router.current_event)
    found = identity_from_claims(event.request_context.authorizer.claims or {})
    if found is None:
        raise Unauthorized("missing or invalid credentials")
    return found


def container(router: Router) -> ApiContainer:
    """The function's container: the handler puts it in the resolver's context."""
    return cast("ApiContainer", router.context["container"])


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(router: Router) -> int | None:
    """The version named by ``If-Match``: None when absent or ``*``.

    An unparseable tag cannot match any version, so it fails the precondition (412).
    """
    sent = header(router, "If-Match")
    # The header's rule is IF_MATCH's pattern (an empty one is no tag either: 412), after
    # the whitespace HTTP allows around a value, which API Gateway may pass on.
    value = None if sent is None else sent.strip(" \t")
    if value is None or value == "*":
        return None
    match = _ETAG.fullmatch(value)
    if not match:
        raise PreconditionFailed('If-Match must be an ETag from a previous response, e.g. "3"')
    return int(match.group(1))


def reads_headers(*parameters: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extensions`` for a route that reads these request headers."""
    return {HEADERS_EXTENSION: list(parameters)}


def header(router: Router, name: str) -> str | None:
    # Powertools' headers compare names case-insensitively; an empty value is still sent.
    return router.current_event.headers.get(name)


def wants_representation(router: Router) -> bool:
    """RFC 7240 ``Prefer: return=representation``: the client pays one extra read."""
    return "return=representation" in (header(router, "Prefer") or "").lower()


def json_response(
    status: int, body: BaseModel | dict[str, Any] | None, headers: dict[str, str] | None = None
) -> Response[Any]:
    # A dict, not text: the resolver validates it against the route's response model, then
    # serialises it.
    payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return Response(
        status_code=status,
        content_type=JSON if payload is not None else None,
        body=payload,
        headers=headers or {},
    )


def require_json_object(body: Any) -> None:
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
