"""``ProfileStore``: user profiles (PostgreSQL), used inside ``Relational.transaction()``."""

from __future__ import annotations

from typing import Any, Protocol

from tasklane.domain.models import Person
from tasklane.domain.profiles import Identity, Profile


class ProfileStore(Protocol):
    def upsert(self, identity: Identity) -> Profile:
        """The profile, created from the token's claims if there is none, its e-mail address
        set to the identity's verified one when it has one (which any other profile holding
        that address loses: one profile per verified address). Two first requests at once
        create one profile and both see it."""

    def get(self, user_id: str) -> Profile | None: ...

    def update(self, user_id: str, changes: dict[str, Any]) -> Profile | None:
        """Applies validated changes (notification events merge into the stored ones);
        None if there is no profile."""

    def time_zone(self, user_id: str) -> str | None: ...

    def find_by_email(self, email: str) -> Person | None:
        """The user whose verified e-mail address this is, compared case-insensitively
        (at most one profile has it)."""
