"""One embedded PostgreSQL per test session, migrated once; every test starts from empty
tables (TRUNCATE is ~ms, a new database per test would be ~100 ms)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from tasklane.dal.postgres.engine import create_engine, use_engine
from tasklane.dal.postgres.migrate import upgrade
from tasklane.local.postgres import LocalDatabase, LocalPostgres

TABLES = ("tasks", "project_members", "projects", "profiles", "tombstones")


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalDatabase]:
    server = LocalPostgres(Path(tmp_path_factory.mktemp("pg")) / "data", ephemeral=True)
    db = server.start()
    yield db
    server.stop()


@pytest.fixture(scope="session")
def pg_engine(database: LocalDatabase) -> Iterator[Engine]:
    engine = create_engine(database.settings())
    upgrade(engine)
    yield engine
    engine.dispose()


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


@pytest.fixture
def pg(
    pg_engine: Engine, _statements: Statements, database: LocalDatabase, moto: Any
) -> Iterator[Engine]:
    """An empty projection and profile store; the API and the events handler use it.

    After ``moto`` (the session's AWS environment): Powertools reads its environment when
    the handlers are first imported."""
    # Imported here, not at collection: Powertools reads its environment (set by the moto
    # session fixture) when tasklane.observability is first imported.
    from tasklane.api import relational
    from tasklane.handlers import events
    from tasklane.logic.profiles import known_users

    with pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)}"))
    saved = {name: os.environ.get(name) for name in database.environment()}
    os.environ.update({k: v for k, v in database.environment().items() if v is not None})
    use_engine(pg_engine)
    relational.reset()
    events.use_consumers(None)
    known_users.clear()
    _statements.clear()
    yield pg_engine
    events.use_consumers(None)
    relational.reset()
    known_users.clear()
    # Detach without disposing: the session engine lives on.
    import tasklane.dal.postgres.engine as engine_module

    engine_module._engine = None
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def statements(pg: Engine, _statements: Statements) -> Statements:
    return _statements
