"""``RevokeToken``, which moto does not implement, answered as Cognito does. LOCAL MODE ONLY.

The web server revokes the refresh token when a user logs out (issue 14, finding 5); moto
answers ``RevokeToken`` with an error, so without this the local stack could not log out the
way AWS does, and a test could not show that a revoked token no longer refreshes.

As Cognito (and RFC 7009) does: the refresh token stops working for ``REFRESH_TOKEN_AUTH``
(moto already refuses a token it stored as ``None``, as after ``GlobalSignOut``), the access
tokens issued with it (same ``origin_jti``) stop working for Cognito's own APIs, a token
issued to another client is refused with ``UnauthorizedException``, a client without token
revocation gets ``UnsupportedOperationException``, and an unknown token is answered like a
revoked one (success: nothing to tell a caller about tokens it does not hold). ID tokens stay
valid JWTs until they expire, in AWS too: the API's authorizer does not ask Cognito.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

#: (HTTP status, Cognito's JSON answer).
Answer = tuple[str, dict[str, Any]]

OK: Answer = ("200 OK", {})


def _refusal(code: str, message: str) -> Answer:
    return ("400 Bad Request", {"__type": code, "message": message})


def origin_jti(jwt: str) -> str | None:
    """The ``origin_jti`` claim of a token moto issued (read, not verified: moto signed it)."""
    parts = jwt.split(".")
    if len(parts) != 3:  # header.payload.signature
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    value = payload.get("origin_jti") if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None


def revoke_token(pools: Iterable[Any], request: dict[str, Any]) -> Answer:
    """Revokes ``request["Token"]`` (a refresh token) in moto's user pools, for the client
    ``request["ClientId"]``."""
    token, client_id = request.get("Token"), request.get("ClientId")
    if not isinstance(token, str) or not token or not isinstance(client_id, str) or not client_id:
        return _refusal("InvalidParameterException", "Token and ClientId are required.")
    for pool in pools:
        client = pool.clients.get(client_id)
        if client is None:
            continue
        if client.extended_config.get("EnableTokenRevocation") is False:
            return _refusal(
                "UnsupportedOperationException", "Token revocation is not enabled for this client."
            )
        issued = pool.refresh_tokens.get(token)
        if issued is None:  # unknown, or revoked already
            return OK
        issued_to, _username, jti = issued
        if issued_to != client_id:
            return _refusal("UnauthorizedException", "The token was issued to another client.")
        pool.refresh_tokens[token] = None
        for access_token in list(pool.access_tokens):
            if origin_jti(access_token) == jti:
                del pool.access_tokens[access_token]
        return OK
    return _refusal("ResourceNotFoundException", "User pool client does not exist.")
