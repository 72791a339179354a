"""The ``FeedTokenStore`` and ``CalendarSource`` contracts (tasklane.domain.ports.calendar),
on every implementation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tasklane.domain.exchange.feed_tokens import hash_token, new_feed_token
from tasklane.domain.models import format_time
from tasklane.domain.projection import MemberRow, ProjectRow
from tests.builders import task_row

from .conftest import ALICE, BOB, T0, Backend

LATER = T0 + timedelta(minutes=5)


def test_a_feed_is_found_by_its_user_and_by_its_tokens_hash(backend: Backend) -> None:
    feeds = backend.feeds()
    issued = new_feed_token()
    made = feeds.create_feed(ALICE, issued, T0)
    assert (made.user_id, made.token, made.created_at) == (ALICE, issued.token, format_time(T0))
    assert made.token_hash == hash_token(issued.token)
    assert feeds.get_feed(ALICE) == made
    by_hash = feeds.feed_by_hash(issued.token_hash)
    assert by_hash is not None
    # The lookup item names the user but never holds the secret.
    assert (by_hash.user_id, by_hash.token, by_hash.token_hash) == (ALICE, "", issued.token_hash)
    assert feeds.get_feed(BOB) is None
    assert feeds.feed_by_hash(hash_token("tlcal_" + "x" * 43)) is None


def test_a_second_create_returns_the_first_feed(backend: Backend) -> None:
    feeds = backend.feeds()
    first = feeds.create_feed(ALICE, new_feed_token(), T0)
    second_token = new_feed_token()
    assert feeds.create_feed(ALICE, second_token, LATER) == first
    assert feeds.feed_by_hash(second_token.token_hash) is None


def test_users_have_feeds_of_their_own(backend: Backend) -> None:
    feeds = backend.feeds()
    alices = feeds.create_feed(ALICE, new_feed_token(), T0)
    bobs = feeds.create_feed(BOB, new_feed_token(), T0)
    assert alices.token != bobs.token
    feeds.delete_feed(BOB)
    assert feeds.get_feed(ALICE) == alices
    assert feeds.feed_by_hash(alices.token_hash) is not None


def test_regenerating_stops_the_old_token_at_once(backend: Backend) -> None:
    feeds = backend.feeds()
    old = feeds.create_feed(ALICE, new_feed_token(), T0)
    issued = new_feed_token()
    new = feeds.replace_feed(ALICE, issued, LATER)
    assert (new.token, new.created_at) == (issued.token, format_time(LATER))
    assert feeds.get_feed(ALICE) == new
    assert feeds.feed_by_hash(old.token_hash) is None
    assert len(backend.item_keys()) == 2  # the feed and one lookup item
    found = feeds.feed_by_hash(issued.token_hash)
    assert found is not None
    assert found.user_id == ALICE


def test_replacing_without_a_feed_creates_one(backend: Backend) -> None:
    feeds = backend.feeds()
    issued = new_feed_token()
    made = feeds.replace_feed(ALICE, issued, T0)
    assert feeds.get_feed(ALICE) == made
    assert feeds.feed_by_hash(issued.token_hash) is not None


def test_revoking_removes_both_items_and_may_be_repeated(backend: Backend) -> None:
    feeds = backend.feeds()
    made = feeds.create_feed(ALICE, new_feed_token(), T0)
    feeds.delete_feed(ALICE)
    assert feeds.get_feed(ALICE) is None
    assert feeds.feed_by_hash(made.token_hash) is None
    assert backend.item_keys() == set()
    feeds.delete_feed(ALICE)  # nothing to revoke: no error
    again = new_feed_token()
    assert feeds.create_feed(ALICE, again, LATER).token == again.token


# CalendarSource -------------------------------------------------------------------------------
DUE = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def _seed(backend: Backend) -> None:
    """Alice in p1 (with Bob) and p2 (hers alone); Bob alone in p3."""
    with backend.database().transaction() as tx:
        for project_id, name, owner in (("p1", "Launch", ALICE), ("p2", "Home", ALICE)):
            tx.projection.upsert_project(ProjectRow(project_id, name, False, owner, 1))
            tx.projection.upsert_member(MemberRow(project_id, ALICE, "owner", 1))
        tx.projection.upsert_member(MemberRow("p1", BOB, "editor", 2))
        tx.projection.upsert_project(ProjectRow("p3", "Bob's", False, BOB, 1))
        tx.projection.upsert_member(MemberRow("p3", BOB, "owner", 1))
        for task_id, project_id, due_in, status in (
            ("t-late", "p1", timedelta(days=3), "todo"),
            ("t-soon", "p2", timedelta(hours=1), "in_progress"),
            ("t-b", "p1", timedelta(days=1), "todo"),
            ("t-a", "p1", timedelta(days=1), "todo"),  # the same time: by id
            ("t-done", "p1", timedelta(hours=2), "done"),
            ("t-undated", "p1", None, "todo"),
            ("t-bobs", "p3", timedelta(hours=3), "todo"),
        ):
            due_at = DUE + due_in if due_in is not None else None
            row = task_row(task_id, project_id=project_id, due_at=due_at, status=status)
            tx.projection.upsert_task(row)
        # In the trash: gone from the feed as from every other view.
        trashed = task_row("t-trashed", project_id="p1", due_at=DUE, deleted_at=DUE)
        tx.projection.upsert_task(trashed)


def test_a_feed_shows_the_open_dated_tasks_of_the_users_projects(backend: Backend) -> None:
    _seed(backend)
    with backend.database().transaction() as tx:
        alices = tx.calendar.calendar_tasks(ALICE, 10)
        bobs = tx.calendar.calendar_tasks(BOB, 10)
        nobodys = tx.calendar.calendar_tasks("user-dave", 10)
    assert [(t.id, t.project_name) for t in alices] == [
        ("t-soon", "Home"),
        ("t-a", "Launch"),
        ("t-b", "Launch"),
        ("t-late", "Launch"),
    ]
    assert alices[0].due_at == DUE + timedelta(hours=1)
    assert [t.id for t in bobs] == ["t-bobs", "t-a", "t-b", "t-late"]
    assert nobodys == []


def test_a_feed_holds_at_most_its_limit_soonest_first(backend: Backend) -> None:
    _seed(backend)
    with backend.database().transaction() as tx:
        assert [t.id for t in tx.calendar.calendar_tasks(ALICE, 2)] == ["t-soon", "t-a"]
