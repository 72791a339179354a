"""When a live connection's ID token expires (docs/realtime.md, "Expiring ID tokens").

The ``$connect`` authorizer puts the token's ``exp`` into its context as ``expires_at``;
API Gateway hands that context to every route of the connection as
``requestContext.authorizer``, where a value may arrive as a number or as its decimal
string. The connection and each of its subscriptions store the expiry, so the fan-out sees
it in the Queries it already makes; from then on the connection receives nothing and is
closed, and its messages are refused.
"""

from __future__ import annotations

import re
from datetime import datetime

#: The pool's ID token validity (``resources.py``: 60 minutes). Only the fallback for a
#: context without a readable expiry uses it: the token was verified at connect time, so it
#: expires at most this long after it.
ASSUMED_TOKEN_SECONDS = 3600

_DECIMAL = re.compile(r"[0-9]{1,12}")


def read_token_expiry(value: object) -> int | None:
    """The authorizer context's ``expires_at`` (epoch seconds): an int or a decimal string;
    None for anything else (missing, a bool, a float, text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return int(value.strip()) or None
    return None


def token_expiry(value: object, connected_at_ms: object, now: datetime) -> int:
    """The connection's token expiry: the context's, else an hour after the connection was
    opened (``requestContext.connectedAt``, ms; else ``now``). Assuming rather than refusing:
    the authorizer has verified the token, and a context shape API Gateway changed must not
    lock every client out; an hour is the longest the token can have left."""
    found = read_token_expiry(value)
    if found is not None:
        return found
    opened = (
        connected_at_ms // 1000
        if isinstance(connected_at_ms, int) and not isinstance(connected_at_ms, bool)
        else int(now.timestamp())
    )
    return opened + ASSUMED_TOKEN_SECONDS


def token_expired(token_expires_at: int | None, now: datetime) -> bool:
    """Whether a connection's token has expired at ``now``. None (an item stored before
    expiries were) never expires by its token: API Gateway's 2-hour limit still ends it."""
    return token_expires_at is not None and now.timestamp() >= token_expires_at
