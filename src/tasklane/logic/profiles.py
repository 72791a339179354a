"""Profiles: created the first time a user is seen, read and changed through /me.

"Seen" means: a request that needs PostgreSQL (/me, /search, /stats, invitations). The
first such request of a user in a container upserts the profile from the token's claims; the
container then remembers the ``sub`` with the verified e-mail address it upserted
(:class:`KnownUsers`, one per container), so later requests skip the upsert: no extra round
trip on a warm function. A token with another verified address (the user changed it, and
Cognito verified the new one) upserts again: the profile follows a verified change, and
only a verified one (:class:`tasklane.domain.profiles.Identity`). A container that never
saw the user upserts once more: an idempotent no-op.
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
    """The subs whose profile this container knows to exist, with the verified e-mail
    address the profile was last upserted with."""

    def __init__(self, limit: int = MAX_KNOWN_USERS) -> None:
        self._subs: dict[str, str] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def __contains__(self, sub: object) -> bool:
        return sub in self._subs

    def current(self, identity: Identity) -> bool:
        """The profile exists and has this identity's verified address (or the token has
        none: an unverified token changes nothing)."""
        known = self._subs.get(identity.sub)
        return known is not None and (not identity.email or known == identity.email)

    def add(self, sub: str, email: str = "") -> None:
        with self._lock:
            if len(self._subs) >= self._limit:
                self._subs.clear()  # forgetting costs one idempotent upsert per user
            self._subs[sub] = email

    def clear(self) -> None:
        with self._lock:
            self._subs.clear()


class ProfileService:
    def __init__(self, database: Relational, known: KnownUsers) -> None:
        self._database = database
        self._known = known

    def ensure(self, tx: RelationalSession, identity: Identity) -> Profile | None:
        """Creates the profile on first sight, or brings its e-mail address up to a newly
        verified one (returns it), in the caller's transaction; None when already current."""
        if self._known.current(identity):
            return None
        profile = tx.profiles.upsert(identity)
        self._known.add(identity.sub, profile.email)
        return profile

    def get(self, identity: Identity) -> Profile:
        with self._database.transaction() as tx:
            profile = self.ensure(tx, identity) or tx.profiles.get(identity.sub)
            if profile is None:  # deleted behind this container's back: create it again
                self._known.clear()
                profile = tx.profiles.upsert(identity)
                self._known.add(identity.sub, profile.email)
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
