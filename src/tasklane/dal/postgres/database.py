"""``Relational`` (tasklane.domain.ports.relational) on PostgreSQL: the unit of work.

:class:`PostgresDatabase` owns the container's engine (made on first use, see
:mod:`tasklane.dal.postgres.engine`); each :meth:`PostgresDatabase.transaction` checks out one
connection, begins, and hands out a :class:`PostgresSession` whose stores run their
statements on it. Nothing here imports SQLAlchemy before the first transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from tasklane.dal.postgres.calendar import PostgresCalendar
    from tasklane.dal.postgres.profiles import PostgresProfiles
    from tasklane.dal.postgres.projection import PostgresProjection
    from tasklane.dal.postgres.reminders import PostgresReminders
    from tasklane.dal.postgres.search import PostgresTaskSearch


class PostgresSession:
    """The stores of one transaction, each made when first used."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @cached_property
    def profiles(self) -> PostgresProfiles:
        from tasklane.dal.postgres.profiles import PostgresProfiles

        return PostgresProfiles(self.connection)

    @cached_property
    def search(self) -> PostgresTaskSearch:
        from tasklane.dal.postgres.search import PostgresTaskSearch

        return PostgresTaskSearch(self.connection)

    @cached_property
    def projection(self) -> PostgresProjection:
        from tasklane.dal.postgres.projection import PostgresProjection

        return PostgresProjection(self.connection)

    @cached_property
    def reminders(self) -> PostgresReminders:
        from tasklane.dal.postgres.reminders import PostgresReminders

        return PostgresReminders(self.connection)

    @cached_property
    def calendar(self) -> PostgresCalendar:
        from tasklane.dal.postgres.calendar import PostgresCalendar

        return PostgresCalendar(self.connection)


class PostgresDatabase:
    """One engine per container, made by ``make_engine`` on first use and reused by every
    warm invocation (its pool keeps the connection open between them)."""

    def __init__(self, make_engine: Callable[[], Engine]) -> None:
        self._make_engine = make_engine
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._make_engine()
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[PostgresSession]:
        with self.engine.begin() as connection:
            yield PostgresSession(connection)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection for reads that need no transaction of their own."""
        with self.engine.connect() as connection:
            yield connection

    def dispose(self) -> None:
        """Closes the pool's connections (a container being replaced)."""
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()
