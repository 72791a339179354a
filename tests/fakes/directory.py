"""``InMemoryDirectory``: the user directory (PostgreSQL profiles) in memory."""

from __future__ import annotations

from tasklane.domain.models import Person
from tasklane.domain.profiles import Identity


class InMemoryDirectory:
    """Profiles by user id. Like the PostgreSQL one, a lookup first creates the caller's own
    profile from their token (so the caller can be found afterwards) and matches e-mail
    addresses case-insensitively."""

    def __init__(self, *people: Person) -> None:
        self.people: dict[str, Person] = {p.user_id: p for p in people}
        #: Every e-mail looked up, in order (a refused caller must not get this far).
        self.lookups: list[str] = []

    def add(self, user_id: str, email: str | None = None, display_name: str = "") -> Person:
        person = Person(
            user_id=user_id,
            email=email or f"{user_id}@example.com",
            display_name=display_name or user_id,
        )
        self.people[user_id] = person
        return person

    def lookup(self, caller: Identity, email: str) -> Person | None:
        self.lookups.append(email)
        if caller.sub not in self.people:
            self.add(caller.sub, caller.email, caller.default_display_name())
        wanted = email.strip().lower()
        return next((p for p in self.people.values() if p.email.lower() == wanted), None)
