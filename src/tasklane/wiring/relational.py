"""The PostgreSQL unit of work of a container, for the functions that use PostgreSQL (api,
events, reminders, migrate). The notifier and the sweeper never import this module."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.settings import Settings


def database(settings: Settings) -> PostgresDatabase:
    """The engine is made on the first transaction: SQLAlchemy and psycopg (~100 ms) are
    imported only then."""
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.settings import Env

    def make_engine():  # type: ignore[no-untyped-def]
        from tasklane.dal.postgres.engine import create_engine

        if not settings.db.host:
            raise RuntimeError(f"{Env.DB_HOST} is not set")
        return create_engine(settings.db, settings.region)

    return PostgresDatabase(make_engine)
