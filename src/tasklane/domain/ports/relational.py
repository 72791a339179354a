"""``Relational``: the unit of work over PostgreSQL.

A use case that needs several statements to commit or fail together opens one transaction
and uses the stores of its session::

    with database.transaction() as tx:
        tx.profiles.upsert(identity)
        rows = tx.search.search(...)

The transaction commits when the block ends and rolls back when it raises.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from tasklane.domain.ports.calendar import CalendarSource
from tasklane.domain.ports.profiles import ProfileStore
from tasklane.domain.ports.projection import ProjectionStore
from tasklane.domain.ports.reminders import ReminderLedger
from tasklane.domain.ports.search import TaskSearch


class RelationalSession(Protocol):
    @property
    def profiles(self) -> ProfileStore: ...

    @property
    def search(self) -> TaskSearch: ...

    @property
    def projection(self) -> ProjectionStore: ...

    @property
    def reminders(self) -> ReminderLedger: ...

    @property
    def calendar(self) -> CalendarSource: ...


class Relational(Protocol):
    def transaction(self) -> AbstractContextManager[RelationalSession]:
        """One transaction: commit at the end of the block, roll back if it raises."""
