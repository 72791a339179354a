"""Alembic environment: online migrations only, on the connection the caller hands over
(``tasklane.dal.postgres.migrate``) or on one made from the TASKLANE_DB_* settings."""

from __future__ import annotations

from alembic import context

from tasklane.dal.postgres.engine import create_engine
from tasklane.settings import Settings

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    settings = Settings.from_environment()
    engine = create_engine(settings.db, settings.region)
    try:
        with engine.connect() as conn:
            context.configure(connection=conn, transaction_per_migration=True)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
run()
