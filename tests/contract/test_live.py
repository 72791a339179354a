"""The ``ConnectionStore`` contract (tasklane.domain.ports.live), on every implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import LimitReached, NotFound
from tasklane.domain.models import Role
from tasklane.domain.ports.live import MAX_SUBSCRIPTIONS, Subscriber

from .conftest import ALICE, BOB, CAROL, T0, Shared, owner, project

STRANGER = "user-stranger"


def test_members_subscribe_with_their_role_and_are_found_by_project(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    for connection_id, user in (("c-alice", ALICE), ("c-bob", BOB), ("c-carol", CAROL)):
        store.open_connection(connection_id, user, T0)

    assert store.subscribe("c-alice", ALICE, project_id, T0) is Role.owner
    assert store.subscribe("c-carol", CAROL, project_id, T0) is Role.viewer
    assert store.subscribe("c-carol", CAROL, project_id, T0) is Role.viewer  # idempotent

    assert sorted(store.subscribers(project_id), key=lambda s: s.connection_id) == [
        Subscriber("c-alice", ALICE, Role.owner),
        Subscriber("c-carol", CAROL, Role.viewer),
    ]


def test_a_non_member_cannot_subscribe_and_learns_nothing(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-x", STRANGER, T0)

    with pytest.raises(NotFound, match="project not found"):
        store.subscribe("c-x", STRANGER, project_id, T0)
    with pytest.raises(NotFound, match="project not found"):
        store.subscribe("c-x", STRANGER, "no-such-project", T0)
    assert store.subscribers(project_id) == []


def test_subscribing_needs_the_users_own_open_connection(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-bob", BOB, T0)

    with pytest.raises(NotFound, match="connection"):
        store.subscribe("c-unknown", ALICE, project_id, T0)
    with pytest.raises(NotFound, match="connection"):
        store.subscribe("c-bob", ALICE, project_id, T0)  # Bob's connection, Alice's claim
    assert store.subscribers(project_id) == []


def test_a_connection_follows_a_bounded_number_of_projects(shared: Shared) -> None:
    store, projects = shared.backend.connections(), shared.backend.projects()
    store.open_connection("c-alice", ALICE, T0)
    ids = []
    for n in range(MAX_SUBSCRIPTIONS + 1):
        made = project(name=f"P{n}")
        projects.create_project(made, owner())
        ids.append(made.id)
    for project_id in ids[:MAX_SUBSCRIPTIONS]:
        store.subscribe("c-alice", ALICE, project_id, T0)

    with pytest.raises(LimitReached):
        store.subscribe("c-alice", ALICE, ids[-1], T0)
    store.subscribe("c-alice", ALICE, ids[0], T0)  # one it follows already: still fine
    store.unsubscribe("c-alice", ids[0])
    store.subscribe("c-alice", ALICE, ids[-1], T0)  # room again
    assert store.subscribers(ids[0]) == []
    assert [s.connection_id for s in store.subscribers(ids[-1])] == ["c-alice"]


def test_unsubscribing_and_closing_forget_the_subscriptions(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    other = project(owner=BOB, name="Bob's")
    shared.backend.projects().create_project(other, owner(BOB))
    store.open_connection("c-bob", BOB, T0)
    store.open_connection("c-bob-2", BOB, T0)
    store.subscribe("c-bob", BOB, project_id, T0)
    store.subscribe("c-bob", BOB, other.id, T0)
    store.subscribe("c-bob-2", BOB, project_id, T0)

    store.unsubscribe("c-bob-2", project_id)
    store.unsubscribe("c-bob-2", project_id)  # nothing left to do
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-bob"]
    assert sorted(store.user_connections(BOB)) == ["c-bob", "c-bob-2"]

    store.close_connection("c-bob")
    store.close_connection("c-bob")  # unknown now: nothing happens
    assert store.subscribers(project_id) == []
    assert store.subscribers(other.id) == []
    assert store.user_connections(BOB) == ["c-bob-2"]


def test_dropping_a_removed_members_subscriptions(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-bob", BOB, T0)
    store.open_connection("c-carol", CAROL, T0)
    store.subscribe("c-bob", BOB, project_id, T0)
    store.subscribe("c-carol", CAROL, project_id, T0)

    store.drop_subscriptions(project_id, ["c-bob", "c-gone"])
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-carol"]
    store.close_connection("c-gone")
    # The dropped connection stays open, and can follow the project again once re-shared.
    assert store.user_connections(BOB) == ["c-bob"]
    assert store.subscribe("c-bob", BOB, project_id, T0) is Role.editor


def test_a_users_own_channel_lists_only_their_connections(shared: Shared) -> None:
    store = shared.backend.connections()
    store.open_connection("c-1", ALICE, T0)
    store.open_connection("c-2", ALICE, T0)
    store.open_connection("c-3", BOB, T0)

    assert sorted(store.user_connections(ALICE)) == ["c-1", "c-2"]
    assert store.user_connections(CAROL) == []
