"""``Relational`` in memory: the unit of work over the PostgreSQL stores' fakes.

:class:`RelationalState` holds the tables; each :meth:`InMemoryDatabase.transaction` hands
out a session of the fakes on that state and restores a copy of it when the block raises —
a rollback, as PostgreSQL's. (Concurrent transactions are not modelled: the contract tests
of the real adapter cover what PostgreSQL's locking adds.)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from tasklane.domain.models import utc_now
from tasklane.domain.profiles import Profile
from tasklane.domain.projection import MemberRow, ProjectRow, TaskRow
from tests.fakes.calendar import InMemoryCalendar
from tests.fakes.profiles import InMemoryProfiles
from tests.fakes.projection import InMemoryProjection
from tests.fakes.reminders import InMemoryReminders
from tests.fakes.search import InMemoryTaskSearch


@dataclass
class RelationalState:
    """The tables: profiles, the projection (projects, members, tasks, tombstones) and the
    reminders claimed."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    projects: dict[str, ProjectRow] = field(default_factory=dict)
    members: dict[tuple[str, str], MemberRow] = field(default_factory=dict)
    tasks: dict[str, TaskRow] = field(default_factory=dict)
    #: (kind, id) -> (version, when buried)
    tombstones: dict[tuple[str, str], tuple[int, datetime]] = field(default_factory=dict)
    #: (task id, due at, kind)
    reminders_sent: set[tuple[str, datetime, str]] = field(default_factory=set)


class InMemorySession:
    def __init__(self, state: RelationalState, clock: Callable[[], datetime]) -> None:
        self.profiles = InMemoryProfiles(state, clock)
        self.search = InMemoryTaskSearch(state)
        self.projection = InMemoryProjection(state, clock)
        self.reminders = InMemoryReminders(state)
        self.calendar = InMemoryCalendar(state)


class InMemoryDatabase:
    def __init__(
        self, state: RelationalState | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.state = state or RelationalState()
        self._clock = clock
        #: Transactions begun, and those rolled back (a test can count round trips).
        self.transactions = 0
        self.rollbacks = 0

    @contextmanager
    def transaction(self) -> Iterator[InMemorySession]:
        self.transactions += 1
        saved = copy.deepcopy(self.state)
        try:
            yield InMemorySession(self.state, self._clock)
        except BaseException:
            self.rollbacks += 1
            self.state.__dict__.update(saved.__dict__)
            raise

    def dispose(self) -> None:
        """Nothing to close (the container calls it as on the real one)."""
