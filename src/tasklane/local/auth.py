"""ID-token verification for the local gateway: the runtime's verifier, pointed at moto.

LOCAL MODE ONLY. moto signs every token with one RSA key whose private half ships inside the
moto package, so anyone can mint a token a verifier pointed at moto's JWKS accepts. The local
runtime builds its :class:`TokenVerifier` with moto's JWKS URL; never do that, or trust a
moto-signed token, outside the local runtime. In AWS the verifier comes from
:func:`tasklane.dal.id_tokens.verifier_for`, which takes the keys from the pool's issuer URL
and honours another address only when the settings are the local runtime's.
"""

from __future__ import annotations

from tasklane.dal.id_tokens import TokenVerifier, Unauthorized

__all__ = ["TokenVerifier", "Unauthorized"]
