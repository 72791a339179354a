"""API Gateway REST proxy integration (payload v1): HTTP request → event, result → HTTP response.

Pure functions over plain data, so the shapes can be read and tested without a server. The
shapes follow what API Gateway sends a Lambda proxy integration, with these local choices:

* Header names arrive lower-cased (HTTP/1.1 servers, ASGI included, do not keep the client's
  casing, API Gateway does): read headers case-insensitively, as Powertools does.
* The API is served at the root, as behind a custom domain: no stage prefix in any path.
* Bodies are text unless the content type is not textual or the bytes are not UTF-8; then
  they are base64 with ``isBase64Encoded`` (API Gateway with matching ``binaryMediaTypes``).
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Resource of the catch-all proxy method; the root has its own method on "/".
PROXY_RESOURCE = "/{proxy+}"
_TEXT_MEDIA_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/javascript",
        "application/x-www-form-urlencoded",
    }
)
#: Caller identity that only IAM, API keys or mutual TLS would fill in.
_UNUSED_IDENTITY_FIELDS = (
    "accessKey", "accountId", "apiKey", "apiKeyId", "caller", "clientCert",
    "cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId",
    "cognitoIdentityPoolId", "principalOrgId", "user", "userArn",
)  # fmt: skip
#: The proxy integration computes these; the handler's own values would be wrong or duplicated.
_HOP_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    #: Percent-decoded, as in ``pathParameters``.
    path: str
    query: Sequence[tuple[str, str]]
    headers: Sequence[tuple[str, str]]
    body: bytes
    source_ip: str


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class InvalidResult(Exception):
    """The handler returned something API Gateway would answer with 502."""


def build_event(
    request: HttpRequest,
    *,
    request_id: str,
    stage: str,
    account_id: str,
    claims: Mapping[str, Any] | None,
    now: float | None = None,
) -> dict[str, Any]:
    """The proxy event for ``request``.

    ``claims`` are the verified token's, or None for a method without the authorizer.
    """
    now = time.time() if now is None else now
    resource = "/" if request.path == "/" else PROXY_RESOURCE
    headers = dict(request.headers)
    body, is_base64 = _encode_body(request.body, headers.get("content-type"))
    request_context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": "local",
        "resourceId": "local",
        "resourcePath": resource,
        "httpMethod": request.method,
        "path": request.path,
        "stage": stage,
        "protocol": "HTTP/1.1",
        "domainName": headers.get("host", ""),
        "requestId": request_id,
        "extendedRequestId": request_id,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "requestTimeEpoch": int(now * 1000),
        "identity": {
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent"),
            **dict.fromkeys(_UNUSED_IDENTITY_FIELDS),
        },
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": authorizer_claims(claims)}
    return {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        # The single-value maps hold the last value of a repeated name, as in API Gateway.
        "headers": headers or None,
        "multiValueHeaders": _multi(request.headers) or None,
        "queryStringParameters": dict(request.query) or None,
        "multiValueQueryStringParameters": _multi(request.query) or None,
        "pathParameters": None if resource == "/" else {"proxy": request.path[1:]},
        "stageVariables": None,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": is_base64,
    }


def authorizer_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as the Cognito authorizer hands them on: every value a string.

    ``exp`` and ``iat`` become dates such as ``Fri Jul 29 18:52:53 UTC 2016``; ``auth_time``
    stays epoch seconds; booleans are ``true``/``false``. Handlers must parse what they use.
    """

    def render(name: str, value: Any) -> str:
        if name in ("exp", "iat") and isinstance(value, int | float):
            return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(value))
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list | tuple):  # e.g. cognito:groups; API Gateway writes "[a b]"
            return "[" + " ".join(map(str, value)) + "]"
        return str(value)

    return {name: render(name, value) for name, value in claims.items()}


def parse_result(result: object) -> HttpResponse:
    """The HTTP response for a proxy result, or :class:`InvalidResult`."""
    if not isinstance(result, Mapping) or not isinstance(result.get("statusCode"), int):
        raise InvalidResult("the result is not a mapping with an integer statusCode")
    single: Mapping[str, Any] = result.get("headers") or {}
    multi: Mapping[str, Sequence[Any]] = result.get("multiValueHeaders") or {}
    # Both maps are merged; a pair present in both is sent once.
    pairs = [(name, str(value)) for name, values in multi.items() for value in values]
    seen = {(name.lower(), value) for name, value in pairs}
    pairs += [(n, str(v)) for n, v in single.items() if (n.lower(), str(v)) not in seen]
    headers = [(name, value) for name, value in pairs if name.lower() not in _HOP_HEADERS]
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))  # API Gateway's default

    body = result.get("body") or ""
    if not isinstance(body, str):
        raise InvalidResult("body is not a string")
    try:
        raw = (
            base64.b64decode(body, validate=True)
            if result.get("isBase64Encoded")
            else body.encode()
        )
    except binascii.Error as error:
        raise InvalidResult("isBase64Encoded is set but the body is not base64") from error
    return HttpResponse(status=result["statusCode"], headers=headers, body=raw)


def _multi(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _encode_body(body: bytes, content_type: str | None) -> tuple[str | None, bool]:
    if not body:
        return None, False
    if _is_textual(content_type):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def _is_textual(content_type: str | None) -> bool:
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return (
        media_type.startswith("text/")
        or media_type in _TEXT_MEDIA_TYPES
        or media_type.endswith(("+json", "+xml"))
    )
