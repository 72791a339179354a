"""Checks on the raw request that come before routing and validation.

API Gateway itself refuses some requests before the integration runs; these are ours of the
same kind: a body too large (413), not JSON (415), or not parseable JSON (400). They run
before Powertools parses the body, so a 2 MB body of garbage is a 413, not a 400, and inputs
that would make a JSON parser fail in unusual ways (not UTF-8, nested 100,000 deep) are a
plain 400, never an exception inside the resolver.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from tasklane.domain.errors import (
    MalformedJson,
    PayloadTooLarge,
    TasklaneError,
    UnsupportedMediaType,
)


def _content_type(headers: dict[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value.split(";", 1)[0].strip().lower()
    return ""


def check_request(event: dict[str, Any], max_body_bytes: int) -> TasklaneError | None:
    body = event.get("body")
    if not body:
        return None
    size = len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode())
    if size > max_body_bytes:
        return PayloadTooLarge(
            f"the request body is larger than {max_body_bytes} bytes",
            {"limit_bytes": max_body_bytes},
        )
    media_type = _content_type(event.get("headers") or {})
    if media_type != "application/json":
        return UnsupportedMediaType(
            "send the request body as JSON with Content-Type: application/json",
            {"content_type": media_type or None},
        )
    return _check_json(body, bool(event.get("isBase64Encoded")))


def _check_json(body: str, is_base64: bool) -> TasklaneError | None:
    try:
        text = base64.b64decode(body, validate=True).decode() if is_base64 else body
        json.loads(text)
    except (ValueError, binascii.Error, RecursionError):
        # ValueError covers JSONDecodeError and UnicodeDecodeError.
        return MalformedJson()
    return None
