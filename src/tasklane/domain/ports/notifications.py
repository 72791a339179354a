"""``NotificationInbox``: the in-app notices of each user and their unread counter."""

from __future__ import annotations

from typing import Protocol

from tasklane.domain.notifications import Notification


class NotificationInbox(Protocol):
    def add(self, user_id: str, note: Notification, expires_at: int) -> bool:
        """Write the notice and count it unread, once: False if it was already there."""

    def page(
        self, user_id: str, limit: int, start: dict[str, str] | None, unread_only: bool
    ) -> tuple[list[Notification], dict[str, str] | None, int]:
        """Newest first, the next page's key, and the unread count."""

    def mark_read(self, user_id: str, note_id: str, at: str) -> bool:
        """False: no such notice (for this user). Reading a read notice changes nothing."""

    def mark_all_read(self, user_id: str, at: str) -> int:
        """Marks every unread notice read; returns how many."""

    def expired(self, user_id: str, note_id: str) -> bool:
        """An unread notice expired (TTL): count it down once."""
