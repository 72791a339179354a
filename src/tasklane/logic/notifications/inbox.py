"""The in-app notifications of the caller: list (newest first), read one, read all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.errors import NotFound
from tasklane.domain.ids import is_project_id
from tasklane.domain.models import format_time, utc_now
from tasklane.domain.notifications import NotificationPage
from tasklane.domain.ports.notifications import NotificationInbox
from tasklane.logic.pages import Cursors


class InboxService:
    def __init__(
        self, inbox: NotificationInbox, cursors: Cursors, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._inbox = inbox
        self._cursors = cursors
        self._clock = clock

    def list(
        self, user_id: str, limit: int, cursor: str | None, unread_only: bool = False
    ) -> NotificationPage:
        # The cursor is bound to the caller and the filter: it cannot page someone else's.
        bound = {"list": "notifications", "user": user_id, "unread_only": unread_only}
        start = self._cursors.start(cursor, bound)
        items, next_key, unread = self._inbox.page(user_id, limit, start, unread_only)
        return NotificationPage(
            items=items, next_cursor=self._cursors.next(next_key, bound), unread=unread
        )

    def mark_read(self, user_id: str, note_id: str) -> None:
        # Notice ids are ULIDs (the same alphabet as project ids): anything else is unknown.
        if not is_project_id(note_id) or not self._inbox.mark_read(
            user_id, note_id, format_time(self._clock())
        ):
            raise NotFound("no such notification")

    def mark_all_read(self, user_id: str) -> int:
        return self._inbox.mark_all_read(user_id, format_time(self._clock()))
