"""ID-token verification, as API Gateway's Cognito user pool authorizer does it.

LOCAL MODE ONLY. moto signs every token with one RSA key whose private half ships inside the
moto package, so anyone can mint a token this verifier accepts. Never use it, or trust a
moto-signed token, outside the local runtime.
"""

from __future__ import annotations

from typing import Any

import jwt


class Unauthorized(Exception):
    """The token is missing, malformed, forged, expired or not an ID token for our client."""


class TokenVerifier:
    """Checks a Cognito ID token: RS256 signature against the pool's JWKS, ``exp``, ``iss``,
    ``aud`` (the app client id) and ``token_use == "id"``.

    The JWKS URL is separate from the issuer because moto serves the keys at its own address
    (``http://HOST:PORT/<poolId>/.well-known/jwks.json``) while its ``iss`` claim is always the
    real ``https://cognito-idp.<region>.amazonaws.com/<poolId>``.
    """

    def __init__(self, *, jwks_url: str, issuer: str, client_id: str) -> None:
        self._issuer = issuer
        self._client_id = client_id
        # Keys are fetched once and cached; an unknown key id triggers one refetch.
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)

    def verify(self, token: str) -> dict[str, Any]:
        """Return the token's claims, or raise :class:`Unauthorized`."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(str(error)) from error
        # An access token has no `aud` and fails above; this also refuses any other kind.
        if claims["token_use"] != "id":  # noqa: S105 - a claim value, not a password
            raise Unauthorized(f"token_use is {claims['token_use']!r}, not 'id'")
        return claims
