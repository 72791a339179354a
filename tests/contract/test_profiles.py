"""The ``ProfileStore`` contract (tasklane.domain.ports.profiles), on every implementation."""

from __future__ import annotations

from tasklane.domain.profiles import DEFAULT_TIME_ZONE, EventKind, Identity

from .conftest import Backend

ADA = Identity(sub="user-ada", email="Ada@Example.com", name="Ada Lovelace")


def test_the_first_upsert_creates_the_profile_from_the_claims(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        created = tx.profiles.upsert(ADA)
        again = tx.profiles.upsert(ADA.model_copy(update={"name": "Someone Else"}))
        assert again == created  # a no-op: the stored profile wins
        assert tx.profiles.get(ADA.sub) == created
        assert tx.profiles.get("user-nobody") is None
    assert (created.user_id, created.email, created.display_name) == (
        ADA.sub,
        ADA.email,
        "Ada Lovelace",
    )
    assert created.time_zone == DEFAULT_TIME_ZONE
    assert all(created.notifications.events.values())
    assert created.notifications.reminder_lead_minutes == 60


def test_updates_merge_the_notification_events(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        tx.profiles.upsert(ADA)
        changed = tx.profiles.update(
            ADA.sub,
            {
                "time_zone": "Europe/Berlin",
                "notifications": {"events": {"task_due": False}, "reminder_lead_minutes": 15},
            },
        )
        assert changed is not None
        renamed = tx.profiles.update(
            ADA.sub, {"display_name": "Ada", "notifications": {"events": {"task_due": True}}}
        )
        assert tx.profiles.update("user-nobody", {"display_name": "x"}) is None
        assert tx.profiles.time_zone(ADA.sub) == "Europe/Berlin"
        assert tx.profiles.time_zone("user-nobody") is None
    assert changed.time_zone == "Europe/Berlin"
    assert changed.notifications.events[EventKind.task_due] is False
    assert changed.notifications.events[EventKind.task_changed] is True
    assert changed.notifications.reminder_lead_minutes == 15
    assert renamed is not None
    assert (renamed.display_name, renamed.time_zone) == ("Ada", "Europe/Berlin")
    assert renamed.notifications.events[EventKind.task_due] is True
    assert renamed.notifications.reminder_lead_minutes == 15


def test_users_are_found_by_email_whatever_its_case(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        tx.profiles.upsert(ADA)
        found = tx.profiles.find_by_email("  ada@EXAMPLE.com ")
        assert tx.profiles.find_by_email("bob@example.com") is None
    assert found is not None
    assert (found.user_id, found.email, found.display_name) == (
        ADA.sub,
        ADA.email,
        "Ada Lovelace",
    )


def test_the_profile_follows_a_verified_change_of_address(backend: Backend) -> None:
    """Finding 1: profiles kept the first address seen forever."""
    with backend.database().transaction() as tx:
        tx.profiles.upsert(ADA)
        moved = tx.profiles.upsert(ADA.model_copy(update={"email": "ada@newmail.example"}))
        # A token without a verified address changes nothing.
        kept = tx.profiles.upsert(ADA.model_copy(update={"email": ""}))
        assert tx.profiles.find_by_email(ADA.email) is None
        found = tx.profiles.find_by_email("ADA@newmail.example")
    assert moved.email == kept.email == "ada@newmail.example"
    assert found is not None
    assert found.user_id == ADA.sub


def test_one_profile_per_verified_address(backend: Backend) -> None:
    """Finding 1: the lookup picked the newest of two profiles with one address. Now the
    user Cognito verified the address for last holds it; a stale profile loses it."""
    old = Identity(sub="user-old", email="shared@example.com")
    new = Identity(sub="user-new", email="SHARED@example.com")
    with backend.database().transaction() as tx:
        tx.profiles.upsert(old)
        tx.profiles.upsert(new)
        found = tx.profiles.find_by_email("shared@example.com")
        stale = tx.profiles.get(old.sub)
    assert found is not None
    assert found.user_id == new.sub
    assert stale is not None
    assert stale.email == ""


def test_a_profile_without_a_verified_address_is_never_found(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        tx.profiles.upsert(Identity(sub="user-unverified", email=""))
        assert tx.profiles.find_by_email("") is None
        assert tx.profiles.find_by_email(" ") is None
