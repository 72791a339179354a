"""The WebSocket API's routes, one function for the three (``requestContext.routeKey``):

- ``$connect`` (after the authorizer, :mod:`tasklane.handlers.realtime_authorizer`, let the
  connection in): records it with its user (``requestContext.authorizer.user_id``) and its
  ID token's expiry (``expires_at``, :func:`tasklane.domain.live_tokens.token_expiry`);
- ``$disconnect``: forgets it and its subscriptions;
- ``$default`` (a two-way route): answers each message, :func:`tasklane.logic.live.answer`.

A route without the authorizer's user is refused: only API Gateway, after the authorizer,
calls this function.
"""

from __future__ import annotations

import json
from typing import Any

from tasklane.domain.live_tokens import read_token_expiry, token_expiry
from tasklane.domain.models import utc_now
from tasklane.logic.live import answer
from tasklane.observability import logger
from tasklane.wiring.realtime import root


def _ok(body: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps(body) if body is not None else ""}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = event["requestContext"]
    route, connection_id = request["routeKey"], request["connectionId"]
    authorizer = request.get("authorizer") or {}
    user_id = authorizer.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        logger.error("a route without the authorizer's user", extra={"route": route})
        return {"statusCode": 401, "body": ""}
    store, now = root.get().connections, utc_now()
    if route == "$disconnect":
        store.close_connection(connection_id)
        return _ok()
    # Every route of the connection carries the context: no read for the expiry.
    expires = token_expiry(authorizer.get("expires_at"), request.get("connectedAt"), now)
    if route == "$connect":
        if read_token_expiry(authorizer.get("expires_at")) is None:
            logger.warning("no token expiry in the authorizer's context: an hour assumed")
        store.open_connection(connection_id, user_id, now, expires)
        return _ok()
    return _ok(answer(store, connection_id, user_id, event.get("body"), now, expires))
