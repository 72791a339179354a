"""Fixtures for the unit tests: a store, a fixed clock and the services built on them.

The logic tests take ``store`` and use only the ``Store`` protocol, so they can run against
any implementation: add a factory to ``STORES`` (for example a DynamoStore on a fresh table)
and every logic test runs once per store. Tests that look inside the fake take
``memory_store`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tasklane.domain.models import Role
from tasklane.domain.ports import Store
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.fakes.store import InMemoryStore

SECRET = b"unit-test-cursor-secret"
T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)

#: Stores the logic tests run against, by name.
STORES: dict[str, Callable[[], Store]] = {"memory": InMemoryStore}

#: Shares a project with another user: (store, project id, user id, role).
Share = Callable[[Store, str, str, Role], None]


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest) -> Store:
    return STORES[request.param]()


@pytest.fixture
def memory_store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def cursors() -> Cursors:
    return Cursors(SECRET)


@pytest.fixture
def projects(store: Store, cursors: Cursors, clock: Clock) -> ProjectService:
    return ProjectService(store, cursors, clock=clock)


@pytest.fixture
def tasks(store: Store, projects: ProjectService, cursors: Cursors, clock: Clock) -> TaskService:
    return TaskService(store, projects, cursors, clock=clock)


def _share(store: Store, project_id: str, user_id: str, role: Role) -> None:
    # The API has no route for members yet, so sharing is store-specific test setup.
    if not isinstance(store, InMemoryStore):
        pytest.skip("sharing a project needs a store-specific helper")
    store.add_member(project_id, user_id, role)


@pytest.fixture
def share() -> Share:
    return _share
