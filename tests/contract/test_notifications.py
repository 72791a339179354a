"""The ``NotificationInbox`` contract (tasklane.domain.ports.notifications), on every
implementation: notices once, newest first, and an unread count that never drifts."""

from __future__ import annotations

import pytest

from tasklane.domain.notifications import Notification, NotificationKind

from .conftest import Backend

BOB, CAROL = "user-bob", "user-carol"
READ_AT = "2025-03-02T08:00:00.000Z"


def note(n: int) -> Notification:
    return Notification(
        id=f"01jd00000000000000000000{n:02d}",
        kind=NotificationKind.task_assigned,
        title=f"title {n}",
        body=f"body {n}",
        task_id=None,
        project_id=None,
        actor_id="user-alice",
        url=None,
        created_at=f"2025-03-01T09:{n:02d}:00.000Z",
    )


def _all(backend: Backend, user: str, limit: int, unread_only: bool) -> tuple[list[str], int]:
    inbox = backend.inbox()
    seen: list[str] = []
    start, unread = None, -1
    for _ in range(20):
        items, start, unread = inbox.page(user, limit, start, unread_only)
        assert len(items) <= limit
        seen += [n.id for n in items]
        if start is None:
            return seen, unread
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("limit", [1, 2, 10])
def test_notices_are_written_once_and_listed_newest_first(backend: Backend, limit: int) -> None:
    inbox = backend.inbox()
    for n in range(1, 5):
        assert inbox.add(BOB, note(n), 2_000_000_000)
    assert not inbox.add(BOB, note(2), 2_000_000_000)  # a retried job
    inbox.add(CAROL, note(9), 2_000_000_000)
    seen, unread = _all(backend, BOB, limit, unread_only=False)
    assert seen == [note(n).id for n in (4, 3, 2, 1)]
    assert unread == 4


def test_reading_counts_down_once(backend: Backend) -> None:
    inbox = backend.inbox()
    for n in range(1, 5):
        inbox.add(BOB, note(n), 2_000_000_000)
    assert inbox.mark_read(BOB, note(2).id, READ_AT)
    assert inbox.mark_read(BOB, note(2).id, READ_AT)  # idempotent
    assert not inbox.mark_read(BOB, note(9).id, READ_AT)
    assert not inbox.mark_read(CAROL, note(1).id, READ_AT)  # someone else's
    assert _all(backend, BOB, 10, unread_only=True) == ([note(n).id for n in (4, 3, 1)], 3)
    (first, *_), _, _ = inbox.page(BOB, 10, None, False)
    assert first.read_at is None
    read = [n for n in inbox.page(BOB, 10, None, False)[0] if n.id == note(2).id]
    assert read[0].read_at == READ_AT
    assert inbox.mark_all_read(BOB, READ_AT) == 3
    assert inbox.mark_all_read(BOB, READ_AT) == 0
    assert _all(backend, BOB, 10, unread_only=True) == ([], 0)


def test_an_expired_unread_notice_is_counted_down_once(backend: Backend) -> None:
    inbox = backend.inbox()
    inbox.add(BOB, note(1), 2_000_000_000)
    inbox.add(BOB, note(2), 2_000_000_000)
    assert inbox.expired(BOB, note(1).id)
    assert not inbox.expired(BOB, note(1).id)  # a replayed stream record
    assert inbox.page(BOB, 10, None, False)[2] == 1
