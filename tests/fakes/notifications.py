"""``NotificationInbox`` in memory: notices per user, newest first, and the unread counter,
which moves only with a notice's read state (as the DynamoDB adapter's transactions do)."""

from __future__ import annotations

from dataclasses import dataclass

from tasklane.domain.notifications import Notification


@dataclass(slots=True)
class Notice:
    note: Notification
    expires_at: int


class InMemoryInbox:
    def __init__(self) -> None:
        self.notices: dict[str, dict[str, Notice]] = {}
        self.counters: dict[str, int] = {}
        self.expired_markers: set[tuple[str, str]] = set()

    def add(self, user_id: str, note: Notification, expires_at: int) -> bool:
        mine = self.notices.setdefault(user_id, {})
        if note.id in mine:
            return False
        mine[note.id] = Notice(note, expires_at)
        self.counters[user_id] = self.counters.get(user_id, 0) + 1
        return True

    def page(
        self, user_id: str, limit: int, start: dict[str, str] | None, unread_only: bool
    ) -> tuple[list[Notification], dict[str, str] | None, int]:
        notes = sorted(
            (n.note for n in self.notices.get(user_id, {}).values()),
            key=lambda note: note.id,
            reverse=True,
        )
        if unread_only:
            notes = [note for note in notes if note.read_at is None]
        if start is not None:
            notes = [note for note in notes if note.id < start["note"]]
        page = notes[:limit]
        next_key = {"note": page[-1].id} if len(notes) > limit else None
        return page, next_key, self.unread(user_id)

    def unread(self, user_id: str) -> int:
        return max(0, self.counters.get(user_id, 0))

    def mark_read(self, user_id: str, note_id: str, at: str) -> bool:
        notice = self.notices.get(user_id, {}).get(note_id)
        if notice is None:
            return False
        if notice.note.read_at is None:
            notice.note = notice.note.model_copy(update={"read_at": at})
            self.counters[user_id] = self.counters.get(user_id, 0) - 1
        return True

    def mark_all_read(self, user_id: str, at: str) -> int:
        unread = [n for n in self.notices.get(user_id, {}).values() if n.note.read_at is None]
        for notice in unread:
            self.mark_read(user_id, notice.note.id, at)
        return len(unread)

    def expired(self, user_id: str, note_id: str) -> bool:
        if (user_id, note_id) in self.expired_markers:
            return False
        self.expired_markers.add((user_id, note_id))
        self.notices.get(user_id, {}).pop(note_id, None)
        self.counters[user_id] = self.counters.get(user_id, 0) - 1
        return True
