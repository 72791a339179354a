"""Configuration from the environment, read once per container.

Everything that differs between AWS and the local stack is here; the rest of the code
never reads ``os.environ`` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

#: Default limits, also documented in the README and the OpenAPI descriptions.
MAX_BODY_BYTES = 1024 * 1024


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True, slots=True)
class Settings:
    region: str
    table_name: str
    user_pool_id: str
    user_pool_client_id: str
    #: Where clients reach Cognito: empty in AWS (the SDK default), moto's URL locally.
    cognito_endpoint: str
    #: Public base URL of the API, returned by ``GET /config``.
    api_url: str
    #: Origins allowed by CORS (comma separated in the environment).
    cors_origins: tuple[str, ...]
    #: Key for the HMAC that makes list cursors tamper-evident.
    cursor_secret: bytes = field(repr=False)
    #: Seconds an ``Idempotency-Key`` is remembered.
    idempotency_ttl_seconds: int = 24 * 3600
    max_body_bytes: int = MAX_BODY_BYTES
    #: Set only by the local runtime; enables local-only routes such as the dev mailbox.
    local_mode: bool = False


@cache
def get_settings() -> Settings:
    secret = os.environ.get("TASKLANE_CURSOR_SECRET", "")
    if not secret:
        raise RuntimeError("TASKLANE_CURSOR_SECRET is not set")
    origins = os.environ.get("TASKLANE_CORS_ORIGINS", "")
    return Settings(
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        table_name=os.environ.get("TASKLANE_TABLE_NAME", "tasklane"),
        user_pool_id=os.environ.get("TASKLANE_USER_POOL_ID", ""),
        user_pool_client_id=os.environ.get("TASKLANE_USER_POOL_CLIENT_ID", ""),
        cognito_endpoint=os.environ.get("TASKLANE_COGNITO_ENDPOINT", ""),
        api_url=os.environ.get("TASKLANE_API_URL", ""),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        cursor_secret=secret.encode(),
        idempotency_ttl_seconds=_int("TASKLANE_IDEMPOTENCY_TTL_SECONDS", 24 * 3600),
        max_body_bytes=_int("TASKLANE_MAX_BODY_BYTES", MAX_BODY_BYTES),
        local_mode=os.environ.get("TASKLANE_LOCAL_MODE", "") == "1",
    )
