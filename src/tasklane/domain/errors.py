"""Errors a client can cause. Each maps to one HTTP status and a stable ``code``."""

from __future__ import annotations

from typing import Any


class TasklaneError(Exception):
    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(TasklaneError):
    status, code = 400, "bad_request"


class MalformedJson(TasklaneError):
    status, code = 400, "malformed_json"

    def __init__(self) -> None:
        super().__init__("the request body is not valid UTF-8 JSON")


class NotFound(TasklaneError):
    """Unknown ids and anything the caller may not see: the two are indistinguishable."""

    status, code = 404, "not_found"


class Conflict(TasklaneError):
    status, code = 409, "conflict"


class PreconditionFailed(TasklaneError):
    status, code = 412, "precondition_failed"


class PayloadTooLarge(TasklaneError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(TasklaneError):
    status, code = 415, "unsupported_media_type"


class ValidationFailed(TasklaneError):
    status, code = 422, "validation_failed"


class TokenExpired(TasklaneError):
    """The ID token a live connection was opened with has expired (the WebSocket API only:
    the REST API's authorizer refuses such a token before any handler runs)."""

    status, code = 401, "token_expired"

    def __init__(self) -> None:
        super().__init__("the connection's ID token has expired: connect again with a new one")


class Forbidden(TasklaneError):
    """A member whose role does not allow the action (a viewer's write)."""

    status, code = 403, "forbidden"


class LimitReached(TasklaneError):
    """A count limit (projects per user, tasks per project, ...) is reached: 409 until
    something is removed. ``details``: ``{"limit": <name>, "max": <n>}``."""

    status, code = 409, "limit_reached"

    def __init__(self, limit: str, maximum: int, message: str) -> None:
        super().__init__(message, {"limit": limit, "max": maximum})


class TooManyRequests(TasklaneError):
    """A rate limit (invitations per day, ...): 429 with ``Retry-After`` (seconds)."""

    status, code = 429, "rate_limited"

    def __init__(self, limit: str, maximum: int, retry_after: int, message: str) -> None:
        super().__init__(message, {"limit": limit, "max": maximum})
        self.retry_after = max(1, retry_after)
