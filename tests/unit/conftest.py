"""Fixtures for the unit tests: the fakes of the ports, a fixed clock and the services built
on them. Everything is in memory; ``tests/contract`` holds the fakes to the real adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from tasklane.domain.models import Role
from tasklane.logic.pages import Cursors
from tasklane.logic.projects import ProjectService
from tasklane.logic.tasks import TaskService
from tests.fakes.attachments import InMemoryAttachments
from tests.fakes.board import InMemoryBoard
from tests.fakes.comments import InMemoryComments
from tests.fakes.members import InMemoryMembers
from tests.fakes.projects import InMemoryProjects
from tests.fakes.table import InMemoryTable
from tests.fakes.tasks import InMemoryPreparedOccurrences, InMemoryTasks

SECRET = b"unit-test-cursor-secret"
T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Fakes:
    """The fakes of the ports stored in the one table, sharing it as the adapters do."""

    table: InMemoryTable = field(default_factory=InMemoryTable)

    def __post_init__(self) -> None:
        self.projects = InMemoryProjects(self.table)
        self.tasks = InMemoryTasks(self.table)
        self.prepared = InMemoryPreparedOccurrences(self.table)
        self.board = InMemoryBoard(self.table)
        self.members = InMemoryMembers(self.table)
        self.comments = InMemoryComments(self.table)
        self.attachments = InMemoryAttachments(self.table)

    def share(self, project_id: str, user_id: str, role: Role) -> None:
        """A membership item, as MemberStore.create_member writes it (test set-up)."""
        self.table.add_member(project_id, user_id, role)


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def cursors() -> Cursors:
    return Cursors(SECRET)


@pytest.fixture
def projects(fakes: Fakes, cursors: Cursors, clock: Clock) -> ProjectService:
    return ProjectService(fakes.projects, cursors, clock=clock)


@pytest.fixture
def tasks(fakes: Fakes, projects: ProjectService, cursors: Cursors, clock: Clock) -> TaskService:
    return TaskService(fakes.tasks, fakes.board, projects, cursors, clock=clock)
