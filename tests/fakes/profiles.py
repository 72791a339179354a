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
        found = self._state.profiles.get(identity.sub)
        if found is not None:
            return found
        now = format_time(self._clock())
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
        matches = [p for p in self._state.profiles.values() if p.email.lower() == wanted]
        if not matches:
            return None
        newest = max(matches, key=lambda p: p.created_at)
        return Person(user_id=newest.user_id, email=newest.email, display_name=newest.display_name)
