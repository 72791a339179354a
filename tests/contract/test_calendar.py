"""The ``FeedTokenStore`` contract (tasklane.domain.ports.calendar), on every implementation.

``CalendarSource`` (PostgreSQL) has no fake yet: its contract is the query's, in
``tests/integration``."""

from __future__ import annotations

from datetime import timedelta

from tasklane.domain.exchange.feed_tokens import hash_token, new_feed_token
from tasklane.domain.models import format_time

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
