"""Profiles: created the first time a user is seen, read and changed through /me.

"Seen" means: a request that needs PostgreSQL (/me, /search, /stats). The first such request
of a user in a container upserts the profile from the token's claims; the container then
remembers the ``sub`` (:class:`KnownUsers`), so later requests skip the upsert: no extra
round trip on a warm function. A container that never saw the user upserts once more — an
idempotent no-op.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from tasklane.domain.errors import NotFound, ValidationFailed
from tasklane.domain.profiles import DEFAULT_TIME_ZONE, Identity, Profile, ProfilePatch

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

Transaction = Callable[[], AbstractContextManager["Connection"]]

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


known_users = KnownUsers()


class ProfileService:
    def __init__(self, transaction: Transaction, known: KnownUsers = known_users) -> None:
        self._transaction = transaction
        self._known = known

    def ensure(self, conn: Connection, identity: Identity) -> Profile | None:
        """Creates the profile on first sight (returns it); None when already known."""
        from tasklane.dal.postgres import profiles as db

        if identity.sub in self._known:
            return None
        profile = db.upsert(conn, identity)
        self._known.add(identity.sub)
        return profile

    def get(self, identity: Identity) -> Profile:
        from tasklane.dal.postgres import profiles as db

        with self._transaction() as conn:
            profile = self.ensure(conn, identity) or db.get(conn, identity.sub)
            if profile is None:  # deleted behind this container's back: create it again
                self._known.clear()
                profile = db.upsert(conn, identity)
                self._known.add(identity.sub)
            return profile

    def update(self, identity: Identity, body: Any) -> Profile:
        from tasklane.dal.postgres import profiles as db

        patch = body if isinstance(body, ProfilePatch) else ProfilePatch.model_validate(body)
        try:
            changes = patch.changes()
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from exc
        with self._transaction() as conn:
            self.ensure(conn, identity)
            profile = db.update(conn, identity.sub, changes)
            if profile is None:
                db.upsert(conn, identity)
                profile = db.update(conn, identity.sub, changes)
            if profile is None:
                raise NotFound("no profile")
            return profile

    def time_zone(self, conn: Connection, identity: Identity) -> str:
        from tasklane.dal.postgres import profiles as db

        created = self.ensure(conn, identity)
        if created is not None:
            return created.time_zone
        return db.time_zone(conn, identity.sub) or DEFAULT_TIME_ZONE
