"""Cognito ID-token verification, as API Gateway's Cognito user pool authorizer does it.

One verifier serves the WebSocket API's ``$connect`` authorizer
(:mod:`tasklane.handlers.realtime_authorizer`) and the local REST gateway
(:mod:`tasklane.local.auth`). The api function never imports this module: in AWS its REST
authorizer is API Gateway's own, and PyJWT with ``cryptography`` would only slow its cold start.

Where the keys come from is the one thing that separates a sound verifier from a useless one.
:func:`verifier_for` takes them from the pool's issuer URL, the only place Cognito publishes
them, unless the settings are the local runtime's: moto serves its keys at its own address,
and moto's signing key is public (its private half ships inside the moto package), so a
verifier pointed at moto accepts tokens anyone can mint. That is why a moto JWKS URL is
honoured only in local mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jwt

if TYPE_CHECKING:
    from tasklane.settings import Settings

#: Claims every ID token must carry; a token without one is refused.
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "token_use")
#: Seconds the key set is kept; it bounds how long a key Cognito withdrew stays trusted.
JWKS_LIFESPAN_SECONDS = 3600
#: A token with a key id the cached set lacks makes PyJWKClient refetch the set, at most
#: once per this many seconds: a rotated key is found within a minute, and a flood of
#: forged key ids cannot turn every connection attempt into a request to Cognito.
JWKS_REFRESH_COOLDOWN_SECONDS = 60
JWKS_TIMEOUT_SECONDS = 5


class Unauthorized(Exception):
    """The token is missing, malformed, forged, expired or not an ID token for our client."""


def cognito_issuer(region: str, user_pool_id: str) -> str:
    """The ``iss`` of the pool's tokens (moto signs with this value too)."""
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


class TokenVerifier:
    """Checks a Cognito ID token: RS256 signature against the pool's JWKS, ``exp``, ``iss``,
    ``aud`` (the app client id) and ``token_use == "id"``.

    Keep one per container: it caches the key set (fetched on the first token, then once per
    :data:`JWKS_LIFESPAN_SECONDS`, or for an unknown key id at most once per
    :data:`JWKS_REFRESH_COOLDOWN_SECONDS`). The JWKS URL is a parameter
    because moto serves the keys at its own address while its ``iss`` claim is always the
    real one; outside the local runtime build it with :func:`verifier_for`.
    """

    def __init__(
        self,
        *,
        jwks_url: str,
        issuer: str,
        client_id: str,
        jwks_lifespan: float = JWKS_LIFESPAN_SECONDS,
        refresh_cooldown: float = JWKS_REFRESH_COOLDOWN_SECONDS,
    ) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.client_id = client_id
        self._jwks = jwt.PyJWKClient(
            jwks_url,
            lifespan=jwks_lifespan,
            cooldown_duration=refresh_cooldown,
            timeout=JWKS_TIMEOUT_SECONDS,
        )

    def verify(self, token: str) -> dict[str, Any]:
        """Return the token's claims, or raise :class:`Unauthorized`."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(str(error)) from error
        # An access token has no `aud` and fails above; this also refuses any other kind.
        if claims["token_use"] != "id":  # noqa: S105 - a claim value, not a password
            raise Unauthorized(f"token_use is {claims['token_use']!r}, not 'id'")
        return claims


def verifier_for(settings: Settings) -> TokenVerifier:
    """The container's verifier for the pool and client the settings name.

    A function's container builds one (:mod:`tasklane.wiring.realtime_authorizer`) and keeps
    it, so the keys are fetched once per execution environment. The keys come from the issuer's URL;
    ``cognito_endpoint`` (moto's address) is used instead only in local mode — see the module
    docstring.
    """
    if not settings.user_pool_id or not settings.user_pool_client_id:
        raise RuntimeError("TASKLANE_USER_POOL_ID and TASKLANE_USER_POOL_CLIENT_ID must be set")
    issuer = cognito_issuer(settings.region, settings.user_pool_id)
    if settings.local_mode and settings.cognito_endpoint:
        keys_at = f"{settings.cognito_endpoint.rstrip('/')}/{settings.user_pool_id}"
    else:
        keys_at = issuer
    return TokenVerifier(
        jwks_url=f"{keys_at}/.well-known/jwks.json",
        issuer=issuer,
        client_id=settings.user_pool_client_id,
    )
