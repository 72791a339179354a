"""The WebSocket API's routes: connecting, disconnecting and what a client may send.

A client sends JSON messages ``{"action": "subscribe" | "unsubscribe", "project_id": …}``
(or ``{"action": "ping"}``, to keep an idle connection open: API Gateway closes one after
10 minutes without a message) and gets one JSON answer for each:
``{"type": "subscribed", "project_id", "role"}``, ``{"type": "unsubscribed", "project_id"}``,
``{"type": "pong"}``, or the API's error shape with the request's action and project:
``{"type": "error", "action", "project_id", "error": {"code", "message", "details"}}``.
A project the user is not a member of answers ``not_found``, like the REST API. Once the
connection's ID token has expired every request answers ``token_expired`` (the client
connects again with a new token). The user's own channel (notices, memberships) needs no
subscription. See docs/realtime.md.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, ValidationError

from tasklane.domain.base import Model
from tasklane.domain.errors import (
    MalformedJson,
    NotFound,
    TasklaneError,
    TokenExpired,
    ValidationFailed,
)
from tasklane.domain.ids import INBOX_ALIAS, inbox_project_id, is_project_id
from tasklane.domain.live_tokens import token_expired
from tasklane.domain.ports.live import ConnectionStore

#: Bigger messages are no request of ours (a subscription is well under 200 bytes).
MAX_REQUEST_BYTES = 4096


class LiveRequest(Model):
    action: Literal["subscribe", "unsubscribe", "ping"]
    project_id: str | None = Field(default=None, min_length=1, max_length=200)


def _project(request: LiveRequest, user_id: str) -> str:
    if request.project_id is None:
        raise ValidationFailed(f"{request.action} needs a project_id")
    if request.project_id == INBOX_ALIAS:
        return inbox_project_id(user_id)
    if not is_project_id(request.project_id):
        raise NotFound("project not found")  # like an unknown id in a path: 404, not 400
    return request.project_id


def _parse(body: str | None) -> LiveRequest:
    if body is None or len(body.encode()) > MAX_REQUEST_BYTES:
        raise ValidationFailed(f"a message is a JSON object of at most {MAX_REQUEST_BYTES} bytes")
    try:
        data = json.loads(body)
    except ValueError:
        raise MalformedJson() from None
    try:
        return LiveRequest.model_validate(data)
    except ValidationError as exc:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise ValidationFailed("the message is not a request this API knows", fields) from None


def _error(error: TasklaneError, request: LiveRequest | None) -> dict[str, Any]:
    return {
        "type": "error",
        "action": request.action if request else None,
        "project_id": request.project_id if request else None,
        "error": {"code": error.code, "message": str(error), "details": error.details},
    }


def answer(
    store: ConnectionStore,
    connection_id: str,
    user_id: str,
    body: str | None,
    now: datetime,
    token_expires_at: int,
) -> dict[str, Any]:
    """The answer to one message a client sent (never raises for anything it can send).
    ``token_expires_at`` comes with the message (the authorizer's context): no read."""
    request: LiveRequest | None = None
    try:
        request = _parse(body)
        if token_expired(token_expires_at, now):
            raise TokenExpired()
        if request.action == "ping":
            return {"type": "pong"}
        project_id = _project(request, user_id)
        if request.action == "subscribe":
            role = store.subscribe(connection_id, user_id, project_id, now, token_expires_at)
            return {"type": "subscribed", "project_id": request.project_id, "role": role.value}
        store.unsubscribe(connection_id, project_id)
        return {"type": "unsubscribed", "project_id": request.project_id}
    except TasklaneError as error:
        return _error(error, request)
