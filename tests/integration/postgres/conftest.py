"""The session's embedded PostgreSQL (``tests/servers.py``) under the functions of a test:
every test starts from empty tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tasklane import wiring
from tasklane.dal.postgres.database import PostgresDatabase
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.launcher import update_environ
from tasklane.local.postgres import LocalDatabase


class Statements:
    """Every SQL statement the engine sent, for round-trip counts and RDS Proxy checks."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def clear(self) -> None:
        self.sql.clear()

    def __len__(self) -> int:
        return len(self.sql)


@pytest.fixture(scope="session")
def _statements(pg_engine: Engine) -> Statements:
    recorded = Statements()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        recorded.sql.append(statement)

    event.listen(pg_engine, "before_cursor_execute", before)
    return recorded


class SessionDatabase(PostgresDatabase):
    """The session's engine, shared by the containers of a test: no container disposes it
    (it outlives them all)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(lambda: engine)

    def dispose(self) -> None:
        """The session fixture disposes the engine, once."""


@pytest.fixture
def pg(
    pg_tables: Engine, _statements: Statements, database: LocalDatabase, aws: LocalConfig
) -> Iterator[Engine]:
    """An empty projection and profile store, which the api, events and reminders functions
    of this test use (their containers are fresh: ``aws`` reset the roots)."""
    from tasklane.wiring import api, events, reminders

    pg_engine = pg_tables
    saved = update_environ(database.environment())
    wiring.reset()
    shared = SessionDatabase(pg_engine)
    for root in (api.root, events.root, reminders.root):
        root.get().override(database=shared)
    _statements.clear()
    yield pg_engine
    wiring.reset()
    update_environ(saved)


@pytest.fixture
def statements(pg: Engine, _statements: Statements) -> Statements:
    return _statements
