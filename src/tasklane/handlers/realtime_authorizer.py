"""The WebSocket API's ``$connect`` authorizer: a Lambda REQUEST authorizer.

Browsers cannot set headers on a WebSocket, so the client sends its Cognito ID token as the
``token`` query parameter (``wss://…/<stage>?token=<id token>``). The token is checked as the
REST API's Cognito authorizer checks it (:mod:`tasklane.dal.id_tokens`: RS256 against the
pool's JWKS, ``exp``, ``iss``, ``aud`` = the app client, ``token_use == "id"``). A good token
gets an IAM policy that allows ``execute-api:Invoke`` on the route asked for (``$connect``)
and the user's id in the context, which API Gateway hands to every route of the connection
as ``requestContext.authorizer.user_id``. Anything else raises ``Unauthorized``: API Gateway
answers the upgrade with 401 and no route handler runs.

Imports stay few (no boto3, no Tracer): every new connection may meet a cold start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponseWebSocket,
    parse_api_gateway_arn,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from tasklane.dal.id_tokens import Unauthorized
from tasklane.wiring.realtime_authorizer import root

#: The query parameter that carries the ID token (the authorizer's identity source).
TOKEN_PARAMETER = "token"  # noqa: S105 - a parameter name
#: The only message with which an authorizer makes API Gateway answer 401 (any other error
#: is a 500, a Deny policy a 403).
UNAUTHORIZED = "Unauthorized"

# Service name and level from POWERTOOLS_* like every function; no Tracer, no Metrics.
logger = Logger()


class ConnectionRefused(Exception):
    """Raised to refuse the connection; API Gateway turns it into 401."""

    def __init__(self) -> None:
        super().__init__(UNAUTHORIZED)


def _token(event: Mapping[str, Any]) -> str:
    parameters = event.get("queryStringParameters") or {}
    token = parameters.get(TOKEN_PARAMETER) if isinstance(parameters, Mapping) else None
    if not isinstance(token, str) or not token:
        raise Unauthorized(f"no {TOKEN_PARAMETER} query parameter")
    return token


def authorize(event: Mapping[str, Any]) -> dict[str, Any]:
    """The authorizer's answer for ``event``, or :class:`ConnectionRefused`."""
    try:
        claims = root.get().verifier.verify(_token(event))
    except Unauthorized as error:
        # The reason is for the log only; the client learns nothing but 401. Never log
        # the token itself.
        logger.info("connection refused", extra={"reason": str(error)})
        raise ConnectionRefused() from None
    user_id = str(claims["sub"])
    method_arn = str(event["methodArn"])
    policy = APIGatewayAuthorizerResponseWebSocket.from_route_arn(
        method_arn,
        principal_id=user_id,
        # Strings and numbers only (API Gateway's rule). The token expires before API
        # Gateway's 2-hour connection limit: the connection ends with it
        # (tasklane.domain.live_tokens).
        context={"user_id": user_id, "expires_at": int(claims["exp"])},
    )
    policy.allow_route(parse_api_gateway_arn(method_arn, is_websocket_authorizer=True).resource)
    logger.info("connection authorized", extra={"user_id": user_id})
    return policy.asdict()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize(event)
