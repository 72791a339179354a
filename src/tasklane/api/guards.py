"""Checks on the raw request that come before routing and validation.

API Gateway itself refuses some requests before the integration runs; these are ours of the
same kind: a body too large (413) or not JSON (415). They run before Powertools parses the
body, so a 2 MB body of garbage is a 413, not a 400.
"""

from __future__ import annotations

from typing import Any

from tasklane.domain.errors import PayloadTooLarge, TasklaneError, UnsupportedMediaType


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
    return None
