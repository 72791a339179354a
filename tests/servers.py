"""The servers the suites share, one per test session, as fixtures (a pytest plugin, loaded by
``tests/conftest.py``): moto (``moto``, reset and bootstrapped per test by ``aws``) and an
embedded PostgreSQL (``pg_engine``, emptied per test by ``pg_tables``). A fixture starts its
server only when a test asks for it: the unit suite never does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tasklane.local.bootstrap import LocalConfig, bootstrap
from tasklane.local.emulators import MotoServer
from tasklane.local.launcher import aws_environment
from tasklane.wiring import functions
from tests.conftest import TEST_ENVIRONMENT

#: Every table a test may fill (profiles, the projection, the reminders' ledger).
TABLES = ("tasks", "project_members", "projects", "profiles", "tombstones", "reminders_sent")


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoServer]:
    server = MotoServer()
    endpoint = server.start()
    saved = dict(os.environ)
    for name, value in aws_environment(endpoint, "us-east-1").items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.environ.update(TEST_ENVIRONMENT)  # again: a suite before this one may have changed it
    yield server
    server.stop()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def aws(moto: MotoServer) -> Iterator[LocalConfig]:
    """An empty moto with the stack's resources; every function's container is built anew
    from this environment, so no test sees another test's wiring."""
    moto.reset()
    config = bootstrap(moto.endpoint_url, table_name="tasklane-test")
    os.environ["TASKLANE_USER_POOL_ID"] = config.user_pool_id
    os.environ["TASKLANE_USER_POOL_CLIENT_ID"] = config.client_id
    functions.reset()
    yield config
    functions.reset()


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The embedded server (a ``tasklane.local.postgres.LocalDatabase``), migrated once."""
    from tasklane.local.postgres import LocalPostgres

    server = LocalPostgres(Path(tmp_path_factory.mktemp("pg")) / "data", ephemeral=True)
    db = server.start()
    yield db
    server.stop()


@pytest.fixture(scope="session")
def pg_engine(database: Any) -> Iterator[Any]:
    """A SQLAlchemy engine on the session's database (TRUNCATE per test is ~ms; a new
    database per test would be ~100 ms)."""
    from tasklane.dal.postgres.engine import create_engine
    from tasklane.dal.postgres.migrate import upgrade

    engine = create_engine(database.settings())
    upgrade(engine)
    yield engine
    engine.dispose()


def session_database(engine: Any) -> Any:
    """A ``PostgresDatabase`` on the session's engine, for the containers and adapters of a
    test: disposing it leaves the engine open (the session fixture disposes it, once)."""
    from tasklane.dal.postgres.database import PostgresDatabase

    class SessionDatabase(PostgresDatabase):
        def dispose(self) -> None:
            """The engine outlives the test."""

    return SessionDatabase(lambda: engine)


@pytest.fixture
def pg_tables(pg_engine: Any) -> Any:
    """The session's engine, every table empty."""
    from sqlalchemy import text

    with pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)}"))
    return pg_engine
