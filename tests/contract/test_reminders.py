"""The ``ReminderLedger`` contract (tasklane.domain.ports.reminders), on every
implementation: due within the recipient's lead, overdue within the look-back, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasklane.domain.profiles import Identity
from tasklane.domain.projection import MemberRow, ProjectRow, TaskRow
from tests.builders import task_row

from .conftest import Backend

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
LOOKBACK = timedelta(hours=24)


def row(task_id: str, due_in: timedelta | None, **fields: object) -> TaskRow:
    due_at = NOW + due_in if due_in is not None else None
    return task_row(task_id, title=f"Task {task_id}", due_at=due_at, **fields)


@pytest.fixture
def seeded(backend: Backend) -> Backend:
    with backend.database().transaction() as tx:
        tx.profiles.upsert(Identity(sub="user-ada", email="ada@example.com", name="Ada"))
        tx.profiles.update("user-ada", {"notifications": {"reminder_lead_minutes": 30}})
        tx.projection.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 1))
        tx.projection.upsert_member(MemberRow("p1", "user-ada", "owner", 1))
        tx.projection.upsert_member(MemberRow("p1", "user-bob", "editor", 2))
        for task in (
            row("soon", timedelta(minutes=20)),  # within Ada's 30 minutes
            row("later", timedelta(minutes=45)),  # not yet
            row("overdue", timedelta(hours=-2)),
            row("ancient", timedelta(days=-3)),  # beyond the look-back
            row("done", timedelta(minutes=-5), status="done"),
            row("undated", None),
            row("bobs", timedelta(minutes=50), assignee_id="user-bob"),  # no profile: 60 min
        ):
            tx.projection.upsert_task(task)
    return backend


def claim(backend: Backend, limit: int = 100) -> dict[str, tuple[bool, str | None]]:
    with backend.database().transaction() as tx:
        claimed = tx.reminders.claim_due(NOW, LOOKBACK, limit)
    return {c.task_id: (c.overdue, c.recipient.email if c.recipient else None) for c in claimed}


def test_due_and_overdue_reminders_are_claimed_once(seeded: Backend) -> None:
    assert claim(seeded) == {
        "soon": (False, "ada@example.com"),
        "overdue": (True, "ada@example.com"),
        "bobs": (False, None),  # no profile: the default lead, no address
    }
    assert claim(seeded) == {}


def test_a_rolled_back_claim_is_claimed_again(seeded: Backend) -> None:
    claimed = []

    def run() -> None:
        with seeded.database().transaction() as tx:
            claimed.extend(tx.reminders.claim_due(NOW, LOOKBACK, 100))
            raise RuntimeError("SQS refused the jobs")

    with pytest.raises(RuntimeError):
        run()
    assert len(claimed) == 3
    assert set(claim(seeded)) == {"soon", "overdue", "bobs"}


def test_a_moved_due_date_is_a_new_reminder(seeded: Backend) -> None:
    claim(seeded)
    with seeded.database().transaction() as tx:
        tx.projection.upsert_task(row("soon", timedelta(minutes=10), version=2))
    assert claim(seeded) == {"soon": (False, "ada@example.com")}


def test_a_backlog_is_claimed_soonest_first_in_batches(seeded: Backend) -> None:
    assert set(claim(seeded, limit=2)) == {"overdue", "soon"}
    assert set(claim(seeded, limit=2)) == {"bobs"}


def test_a_removed_member_is_not_reminded(seeded: Backend) -> None:
    """Issue 14, finding 3: Bob was removed; his assignment is not cleared yet."""
    with seeded.database().transaction() as tx:
        tx.projection.remove_member("p1", "user-bob", 3)
    assert set(claim(seeded)) == {"soon", "overdue"}
