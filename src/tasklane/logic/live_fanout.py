"""The fan-out: a batch of stream changes → posts to the connections entitled to them.

Per batch (:func:`fan_out`): each change becomes at most one message
(:func:`tasklane.domain.live.from_change`); one Query per project for its subscribers and
one per user for their own channel; memberships changed in the batch are applied in stream
order before the later messages are routed (a removed member's subscriptions are dropped
and receive nothing after the removal; a new role applies at once); the deliveries are
coalesced per connection (newest per item, in stream order), each message is encoded once,
and each connection gets one ``PostToConnection`` per 128 KB. A gone connection (410) is
forgotten with its subscriptions. A connection whose ID token has expired (its expiry comes
with the same Queries) receives nothing: it is closed (``DeleteConnection``) and forgotten
likewise; the client reconnects with a fresh token. Any other failure raises: the batch is
delivered again, and clients apply only what is newer than what they hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tasklane.domain.live import (
    HighWater,
    Kind,
    LiveMessage,
    Op,
    Routed,
    coalesce,
    encode,
    from_change,
    may_receive,
    pack,
)
from tasklane.domain.live import ImageChange as Change
from tasklane.domain.live_tokens import token_expired
from tasklane.domain.models import Role
from tasklane.domain.ports.live import ConnectionPoster, ConnectionStore, Subscriber


@dataclass(frozen=True, slots=True)
class FanOutResult:
    messages: int
    posts: int
    gone: int
    #: Connections closed because their ID token had expired.
    expired: int


class _Channels:
    """The batch's subscribers per project, as the batch's membership changes leave them,
    and its users' own connections; connections whose token has expired are set apart in
    ``expired`` (ordered, once each) and receive nothing."""

    def __init__(
        self,
        store: ConnectionStore,
        project_ids: Iterable[str],
        user_ids: Iterable[str],
        now: datetime,
    ) -> None:
        self._store = store
        self.expired: dict[str, None] = {}
        self.subscribers: dict[str, list[Subscriber]] = {
            project_id: [
                s
                for s in store.subscribers(project_id)
                if self._valid(s.connection_id, s.token_expires_at, now)
            ]
            for project_id in project_ids
        }
        self.own: dict[str, list[str]] = {
            user_id: [
                c.connection_id
                for c in store.user_connections(user_id)
                if self._valid(c.connection_id, c.token_expires_at, now)
            ]
            for user_id in user_ids
        }

    def _valid(self, connection_id: str, token_expires_at: int | None, now: datetime) -> bool:
        if token_expired(token_expires_at, now):
            self.expired[connection_id] = None
            return False
        return True

    def apply_membership(self, message: LiveMessage) -> None:
        """A membership change: a removal drops the member's subscriptions (stored too), a
        new role replaces theirs for the rest of the batch."""
        project_id, user_id = message.project_id or "", message.id
        subscribers = self.subscribers.get(project_id, [])
        theirs = [s for s in subscribers if s.user_id == user_id]
        if not theirs:
            return
        if message.op is Op.deleted:
            self._store.drop_subscriptions(project_id, [s.connection_id for s in theirs])
            self.subscribers[project_id] = [s for s in subscribers if s.user_id != user_id]
        elif message.item is not None and "role" in message.item:
            role = Role(message.item["role"])
            self.subscribers[project_id] = [
                replace(s, role=role) if s.user_id == user_id else s for s in subscribers
            ]


def _deliveries(routed: Sequence[Routed], channels: _Channels) -> list[tuple[str, LiveMessage]]:
    deliveries: list[tuple[str, LiveMessage]] = []
    for entry in routed:
        message = entry.message
        if message.kind is Kind.member:
            channels.apply_membership(message)
        if entry.project_id is not None:
            for subscriber in channels.subscribers.get(entry.project_id, []):
                if may_receive(message, subscriber.role):
                    deliveries.append((subscriber.connection_id, message))
        for user_id in entry.user_ids:
            deliveries += [(c, message) for c in channels.own.get(user_id, [])]
    # A connection listed expired anywhere (its subscription or its own entry) gets nothing.
    return [(c, message) for c, message in deliveries if c not in channels.expired]


def fan_out(
    changes: Iterable[Change],
    store: ConnectionStore,
    poster: ConnectionPoster,
    now: datetime,
    high_water: HighWater | None = None,
) -> FanOutResult:
    """Posts one batch's changes to the connections entitled to them, and closes those
    whose token has expired at ``now`` (see module doc)."""
    routed = [r for r in map(from_change, changes) if r is not None]
    if high_water is not None:
        routed = [r for r in routed if high_water.is_newer(r.message)]
    if not routed:
        return FanOutResult(0, 0, 0, 0)
    projects = dict.fromkeys(r.project_id for r in routed if r.project_id is not None)
    users = dict.fromkeys(user for r in routed for user in r.user_ids)
    channels = _Channels(store, projects, users, now)
    per_connection = coalesce(_deliveries(routed, channels))
    encoded: dict[int, bytes] = {}
    posts = gone = 0
    for connection_id, messages in per_connection.items():
        payloads = pack([encoded.setdefault(id(m), encode(m)) for m in messages])
        for payload in payloads:
            posts += 1
            if not poster.post(connection_id, payload):
                store.close_connection(connection_id)
                gone += 1
                break
    for connection_id in channels.expired:
        # Closed first: were it forgotten first and the close then failed, the retried
        # batch would no longer find it.
        poster.close(connection_id)
        store.close_connection(connection_id)
    if high_water is not None:
        for entry in routed:
            high_water.admit(entry.message)
    return FanOutResult(len(routed), posts, gone, len(channels.expired))
