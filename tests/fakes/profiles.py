"""``ProfileStore`` in memory (a session of :class:`tests.fakes.relational.InMemoryDatabase`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tasklane.domain.models import Person, format_time
from tasklane.domain.profiles import DEFAULT_TIME_ZONE, Identity, NotificationPreferences, Profile

if TYPE_CHECKING:
    from tests.fakes.relational import RelationalState


class InMemoryProfiles:
    def __init__(self, state: RelationalState, clock: Callable[[], datetime]) -> None:
        self._state = state
        self._clock = clock

    def upsert(self, identity: Identity) -> Profile:
        now = format_time(self._clock())
        if identity.email:  # one profile per verified address: a stale holder loses it
            for other in list(self._state.profiles.values()):
                if other.user_id != identity.sub and other.email.lower() == identity.email.lower():
                    self._state.profiles[other.user_id] = other.model_copy(
                        update={"email": "", "updated_at": now}
                    )
        found = self._state.profiles.get(identity.sub)
        if found is not None:
            if identity.email and identity.email != found.email:
                found = found.model_copy(update={"email": identity.email, "updated_at": now})
                self._state.profiles[identity.sub] = found
            return found
        profile = Profile(
            user_id=identity.sub,
            email=identity.email,
            display_name=identity.default_display_name(),
            time_zone=DEFAULT_TIME_ZONE,
            notifications=NotificationPreferences(),
            created_at=now,
            updated_at=now,
        )
        self._state.profiles[identity.sub] = profile
        return profile

    def get(self, user_id: str) -> Profile | None:
        return self._state.profiles.get(user_id)

    def update(self, user_id: str, changes: dict[str, Any]) -> Profile | None:
        profile = self._state.profiles.get(user_id)
        if profile is None:
            return None
        notifications = changes.get("notifications") or {}
        events = {**profile.notifications.events, **(notifications.get("events") or {})}
        lead = notifications.get("reminder_lead_minutes")
        updated = profile.model_copy(
            update={
                "display_name": changes.get("display_name") or profile.display_name,
                "time_zone": changes.get("time_zone") or profile.time_zone,
                "notifications": NotificationPreferences(
                    events=events,
                    reminder_lead_minutes=(
                        profile.notifications.reminder_lead_minutes if lead is None else lead
                    ),
                ),
                "updated_at": format_time(self._clock()),
            }
        )
        self._state.profiles[user_id] = updated
        return updated

    def time_zone(self, user_id: str) -> str | None:
        profile = self._state.profiles.get(user_id)
        return profile.time_zone if profile is not None else None

    def find_by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        found = next(
            (p for p in self._state.profiles.values() if wanted and p.email.lower() == wanted),
            None,
        )
        if found is None:
            return None
        return Person(user_id=found.user_id, email=found.email, display_name=found.display_name)
