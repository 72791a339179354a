"""Opaque, tamper-evident list cursors.

A cursor carries DynamoDB's LastEvaluatedKey and a digest of the query it belongs to, signed
with HMAC-SHA256. A changed byte, a cursor from another query (other filters, sort or
project) or from another deployment is rejected with 400, so a client can never steer a
Query to keys it did not earn.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from tasklane.domain.errors import BadRequest

_SIG_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(bound: dict[str, Any]) -> str:
    canonical = json.dumps(bound, sort_keys=True, separators=(",", ":"))
    return _b64(hashlib.sha256(canonical.encode()).digest()[:12])


def _sign(payload: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:_SIG_BYTES])


def encode_cursor(key: dict[str, str], bound: dict[str, Any], secret: bytes) -> str:
    payload = _b64(json.dumps({"k": key, "q": _digest(bound)}, separators=(",", ":")).encode())
    return f"{payload}.{_sign(payload, secret)}"


def decode_cursor(token: str, bound: dict[str, Any], secret: bytes) -> dict[str, str]:
    invalid = BadRequest("cursor is invalid or belongs to another query", {"field": "cursor"})
    payload, _, signature = token.partition(".")
    if not payload or not signature or len(token) > 2048:
        raise invalid
    # Bytes, not str: compare_digest refuses non-ASCII text with a TypeError.
    if not hmac.compare_digest(signature.encode(), _sign(payload, secret).encode()):
        raise invalid
    try:
        data = json.loads(_unb64(payload))
    except (ValueError, binascii.Error) as exc:
        raise invalid from exc
    key = data.get("k") if isinstance(data, dict) else None
    if data.get("q") != _digest(bound) or not isinstance(key, dict):
        raise invalid
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in key.items()):
        raise invalid
    return key
