"""``ConnectionStore``: the WebSocket API's open connections and their project subscriptions
(DynamoDB); ``ConnectionPoster``: sends a payload to one connection, or closes it (the API
Gateway Management API). See docs/realtime.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tasklane.domain.models import Role

#: API Gateway closes a WebSocket connection after 2 hours; its items outlive it a little,
#: so TTL removes them when ``$disconnect`` never came (its deletes are best effort).
CONNECTION_TTL_SECONDS = 2 * 3600 + 600
#: Projects one connection may follow at once (a page shows a few; the assigned view, all
#: of its user's projects with open tasks assigned).
MAX_SUBSCRIPTIONS = 100


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One connection following a project, with its user's role when it subscribed and when
    its ID token expires (epoch seconds; None on items stored before expiries were)."""

    connection_id: str
    user_id: str
    role: Role
    token_expires_at: int | None = None


@dataclass(frozen=True, slots=True)
class OpenConnection:
    """One of a user's open connections (their own channel), with its token's expiry."""

    connection_id: str
    token_expires_at: int | None = None


class ConnectionStore(Protocol):
    def open_connection(
        self, connection_id: str, user_id: str, now: datetime, token_expires_at: int
    ) -> None:
        """Records a connection the authorizer let in (``$connect``), with its ID token's
        expiry (epoch seconds)."""

    def close_connection(self, connection_id: str) -> None:
        """Forgets a connection and its subscriptions (``$disconnect``, or gone); nothing
        happens when it is unknown."""

    def subscribe(
        self,
        connection_id: str,
        user_id: str,
        project_id: str,
        now: datetime,
        token_expires_at: int,
    ) -> Role:
        """Follows a project the user is a member of; returns their role. NotFound when they
        are not a member (or the connection is gone), LimitReached past
        :data:`MAX_SUBSCRIPTIONS`. Subscribing twice is one subscription. Atomic with a check
        of the membership, so a member removed meanwhile is never left subscribed. The
        subscription keeps the connection's token expiry: the fan-out reads no other item."""

    def unsubscribe(self, connection_id: str, project_id: str) -> None:
        """Stops following the project (nothing happens when it did not)."""

    def subscribers(self, project_id: str) -> list[Subscriber]:
        """Every connection following the project (one Query)."""

    def user_connections(self, user_id: str) -> list[OpenConnection]:
        """The user's open connections: their own channel (one Query)."""

    def drop_subscriptions(self, project_id: str, connection_ids: Sequence[str]) -> None:
        """Ends these connections' subscriptions to the project (a member removed)."""


class ConnectionPoster(Protocol):
    def post(self, connection_id: str, data: bytes) -> bool:
        """Sends ``data`` to the connection; False when it is gone (410)."""

    def close(self, connection_id: str) -> None:
        """Closes the connection (``DeleteConnection``); a gone one (410) is fine."""
