"""The ``ConnectionStore`` contract (tasklane.domain.ports.live), on every implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.errors import LimitReached, NotFound
from tasklane.domain.models import Role
from tasklane.domain.ports.live import MAX_SUBSCRIPTIONS, OpenConnection, Subscriber

from .conftest import ALICE, BOB, CAROL, T0, Shared, owner, project

STRANGER = "user-stranger"
#: The connections' ID token expiry (epoch seconds), an hour after T0.
EXP = int(T0.timestamp()) + 3600


def ids(connections: list[OpenConnection]) -> list[str]:
    return sorted(c.connection_id for c in connections)


def test_members_subscribe_with_their_role_and_are_found_by_project(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    for connection_id, user in (("c-alice", ALICE), ("c-bob", BOB), ("c-carol", CAROL)):
        store.open_connection(connection_id, user, T0, EXP)

    assert store.subscribe("c-alice", ALICE, project_id, T0, EXP) is Role.owner
    assert store.subscribe("c-carol", CAROL, project_id, T0, EXP) is Role.viewer
    assert store.subscribe("c-carol", CAROL, project_id, T0, EXP) is Role.viewer  # idempotent

    assert sorted(store.subscribers(project_id), key=lambda s: s.connection_id) == [
        Subscriber("c-alice", ALICE, Role.owner, EXP),
        Subscriber("c-carol", CAROL, Role.viewer, EXP),
    ]


def test_the_token_expiry_is_kept_on_the_connection_and_each_subscription(
    shared: Shared,
) -> None:
    # The fan-out's Queries (a project's subscribers, a user's connections) read it with
    # no other request; each connection keeps its own.
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-old", ALICE, T0, EXP)
    store.open_connection("c-new", ALICE, T0, EXP + 1800)
    store.subscribe("c-old", ALICE, project_id, T0, EXP)
    store.subscribe("c-new", ALICE, project_id, T0, EXP + 1800)

    assert sorted(store.subscribers(project_id), key=lambda s: s.connection_id) == [
        Subscriber("c-new", ALICE, Role.owner, EXP + 1800),
        Subscriber("c-old", ALICE, Role.owner, EXP),
    ]
    assert sorted(store.user_connections(ALICE), key=lambda c: c.connection_id) == [
        OpenConnection("c-new", EXP + 1800),
        OpenConnection("c-old", EXP),
    ]


def test_a_non_member_cannot_subscribe_and_learns_nothing(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-x", STRANGER, T0, EXP)

    with pytest.raises(NotFound, match="project not found"):
        store.subscribe("c-x", STRANGER, project_id, T0, EXP)
    with pytest.raises(NotFound, match="project not found"):
        store.subscribe("c-x", STRANGER, "no-such-project", T0, EXP)
    assert store.subscribers(project_id) == []


def test_subscribing_needs_the_users_own_open_connection(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-bob", BOB, T0, EXP)

    with pytest.raises(NotFound, match="connection"):
        store.subscribe("c-unknown", ALICE, project_id, T0, EXP)
    with pytest.raises(NotFound, match="connection"):
        store.subscribe("c-bob", ALICE, project_id, T0, EXP)  # Bob's connection, Alice's claim
    assert store.subscribers(project_id) == []


def test_a_connection_follows_a_bounded_number_of_projects(shared: Shared) -> None:
    store, projects = shared.backend.connections(), shared.backend.projects()
    store.open_connection("c-alice", ALICE, T0, EXP)
    ids = []
    for n in range(MAX_SUBSCRIPTIONS + 1):
        made = project(name=f"P{n}")
        projects.create_project(made, owner())
        ids.append(made.id)
    for project_id in ids[:MAX_SUBSCRIPTIONS]:
        store.subscribe("c-alice", ALICE, project_id, T0, EXP)

    with pytest.raises(LimitReached):
        store.subscribe("c-alice", ALICE, ids[-1], T0, EXP)
    store.subscribe("c-alice", ALICE, ids[0], T0, EXP)  # one it follows already: still fine
    store.unsubscribe("c-alice", ids[0])
    store.subscribe("c-alice", ALICE, ids[-1], T0, EXP)  # room again
    assert store.subscribers(ids[0]) == []
    assert [s.connection_id for s in store.subscribers(ids[-1])] == ["c-alice"]


def test_unsubscribing_and_closing_forget_the_subscriptions(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    other = project(owner=BOB, name="Bob's")
    shared.backend.projects().create_project(other, owner(BOB))
    store.open_connection("c-bob", BOB, T0, EXP)
    store.open_connection("c-bob-2", BOB, T0, EXP)
    store.subscribe("c-bob", BOB, project_id, T0, EXP)
    store.subscribe("c-bob", BOB, other.id, T0, EXP)
    store.subscribe("c-bob-2", BOB, project_id, T0, EXP)

    store.unsubscribe("c-bob-2", project_id)
    store.unsubscribe("c-bob-2", project_id)  # nothing left to do
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-bob"]
    assert ids(store.user_connections(BOB)) == ["c-bob", "c-bob-2"]

    store.close_connection("c-bob")
    store.close_connection("c-bob")  # unknown now: nothing happens
    assert store.subscribers(project_id) == []
    assert store.subscribers(other.id) == []
    assert ids(store.user_connections(BOB)) == ["c-bob-2"]


def test_dropping_a_removed_members_subscriptions(shared: Shared) -> None:
    store, project_id = shared.backend.connections(), shared.project.id
    store.open_connection("c-bob", BOB, T0, EXP)
    store.open_connection("c-carol", CAROL, T0, EXP)
    store.subscribe("c-bob", BOB, project_id, T0, EXP)
    store.subscribe("c-carol", CAROL, project_id, T0, EXP)

    store.drop_subscriptions(project_id, ["c-bob", "c-gone"])
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-carol"]
    store.close_connection("c-gone")
    # The dropped connection stays open, and can follow the project again once re-shared.
    assert ids(store.user_connections(BOB)) == ["c-bob"]
    assert store.subscribe("c-bob", BOB, project_id, T0, EXP) is Role.editor


def test_a_users_own_channel_lists_only_their_connections(shared: Shared) -> None:
    store = shared.backend.connections()
    store.open_connection("c-1", ALICE, T0, EXP)
    store.open_connection("c-2", ALICE, T0, EXP)
    store.open_connection("c-3", BOB, T0, EXP)

    assert ids(store.user_connections(ALICE)) == ["c-1", "c-2"]
    assert store.user_connections(CAROL) == []
