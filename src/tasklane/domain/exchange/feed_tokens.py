"""Calendar feed tokens: the secret in a personal feed URL.

Calendar programs cannot send a Cognito token, so the feed URL itself is the credential:
``<api url>/calendar/<token>.ics``. The token is 256 random bits. Two items hold it: the
user's feed item keeps the token itself (the profile page shows the URL again, as it must
for people to paste it into a second calendar), and a lookup item keyed by the token's
SHA-256 names the user. A plain hash is enough for the key: the token is random, so there
is nothing to guess from it.

Lookup rule: check the token's shape first (anything else answers 404 without a read); then
read by the hash — the comparison that finds the item happens on the hash, never on the
secret, so response times say nothing about the token — and compare the stored hash to the
computed one with ``hmac.compare_digest`` before serving. Revoking deletes both items (404
from then on); regenerating issues a new token and deletes the old lookup item.

The URL ends up in calendar programs' settings and sometimes in logs: the API's access log
must record the route (``/calendar/{token}``), not the path.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "tlcal_"  # noqa: S105 - a prefix, not a secret
_TOKEN = re.compile(r"tlcal_[A-Za-z0-9_-]{43}")
_SUFFIX = ".ics"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    #: Inside the feed URL; kept on the user's feed item only.
    token: str
    #: The lookup item's key.
    token_hash: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token() -> IssuedToken:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return IssuedToken(token, hash_token(token))


def parse_token(path_segment: str) -> str | None:
    """The token in a feed URL's last segment (``…/<token>.ics``), or None when it cannot be
    one (answer 404 without reading anything)."""
    candidate = path_segment.removesuffix(_SUFFIX)
    return candidate if _TOKEN.fullmatch(candidate) else None


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token).encode(), stored_hash.encode())


def feed_url(api_url: str, token: str) -> str:
    return f"{api_url.rstrip('/')}/calendar/{token}{_SUFFIX}"
