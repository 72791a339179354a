"""Profiles: created the first time a user is seen, read and changed through /me.

"Seen" means: a request that needs PostgreSQL (/me, /search, /stats, adding a member). The
first such request of a user in a container upserts the profile from the token's claims; the
container then remembers the ``sub`` (:class:`KnownUsers`, one per container), so later
requests skip the upsert: no extra round trip on a warm function. A container that never saw
the user upserts once more — an idempotent no-op.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from tasklane.domain.errors import NotFound, ValidationFailed
from tasklane.domain.profiles import DEFAULT_TIME_ZONE, Identity, Profile, ProfilePatch

if TYPE_CHECKING:
    from tasklane.domain.ports.relational import Relational, RelationalSession

#: Per container; bounded so a long-lived container cannot grow it without limit.
MAX_KNOWN_USERS = 10_000


class KnownUsers:
    """The subs whose profile this container knows to exist."""

    def __init__(self, limit: int = MAX_KNOWN_USERS) -> None:
        self._subs: set[str] = set()
        self._limit = limit
        self._lock = threading.Lock()

    def __contains__(self, sub: object) -> bool:
        return sub in self._subs

    def add(self, sub: str) -> None:
        with self._lock:
            if len(self._subs) >= self._limit:
                self._subs.clear()  # forgetting costs one idempotent upsert per user
            self._subs.add(sub)

    def clear(self) -> None:
        with self._lock:
            self._subs.clear()


class ProfileService:
    def __init__(self, database: Relational, known: KnownUsers) -> None:
        self._database = database
        self._known = known

    def ensure(self, tx: RelationalSession, identity: Identity) -> Profile | None:
        """Creates the profile on first sight (returns it), in the caller's transaction;
        None when already known."""
        if identity.sub in self._known:
            return None
        profile = tx.profiles.upsert(identity)
        self._known.add(identity.sub)
        return profile

    def get(self, identity: Identity) -> Profile:
        with self._database.transaction() as tx:
            profile = self.ensure(tx, identity) or tx.profiles.get(identity.sub)
            if profile is None:  # deleted behind this container's back: create it again
                self._known.clear()
                profile = tx.profiles.upsert(identity)
                self._known.add(identity.sub)
            return profile

    def update(self, identity: Identity, body: Any) -> Profile:
        patch = body if isinstance(body, ProfilePatch) else ProfilePatch.model_validate(body)
        try:
            changes = patch.changes()
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from exc
        with self._database.transaction() as tx:
            self.ensure(tx, identity)
            profile = tx.profiles.update(identity.sub, changes)
            if profile is None:
                tx.profiles.upsert(identity)
                profile = tx.profiles.update(identity.sub, changes)
            if profile is None:
                raise NotFound("no profile")
            return profile

    def time_zone(self, tx: RelationalSession, identity: Identity) -> str:
        created = self.ensure(tx, identity)
        if created is not None:
            return created.time_zone
        return tx.profiles.time_zone(identity.sub) or DEFAULT_TIME_ZONE
