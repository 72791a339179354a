"""The migrations runner: invoked by a CDK Trigger on deploy (see infra/functions.py).

It connects to the database instance with the master secret (``TASKLANE_DB_AUTH=secret``),
then, in order:

1. creates the application user (``TASKLANE_DB_APP_USER``) if it does not exist, as a login
   role without a password, and grants it ``rds_iam`` where that role exists (RDS): the
   functions log in through RDS Proxy with IAM authentication only;
2. applies the Alembic migrations (``tasklane.dal.postgres.migrate.upgrade``; the bundle
   carries ``migrations/``, named by ``TASKLANE_MIGRATIONS_DIR``);
3. grants the application user data access (never DDL) to every table and sequence in
   ``public``, now and (default privileges) for the tables later migrations create.

Each step is idempotent: running it again on an up-to-date database changes nothing. An
exception fails the invocation, and the Trigger fails the deploy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tasklane.observability import logger
from tasklane.wiring.migrate import root

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_user_statements(user: str) -> list[str]:
    """Creates ``user`` (IAM login) if missing; its data grants follow :func:`grant_statements`."""
    if not _IDENTIFIER.fullmatch(user):
        raise ValueError(f"not a plain PostgreSQL identifier: {user!r}")
    # ``user`` is checked against a plain identifier above: nothing can be injected.
    return [
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN
                CREATE ROLE {user} LOGIN;
            END IF;
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
                GRANT rds_iam TO {user};
            END IF;
        END
        $$
        """,  # noqa: S608 - user matched a plain identifier above
    ]


def grant_statements(user: str) -> list[str]:
    """Data access for ``user`` on what the migrations created, and on what they will."""
    if not _IDENTIFIER.fullmatch(user):
        raise ValueError(f"not a plain PostgreSQL identifier: {user!r}")
    data = "SELECT, INSERT, UPDATE, DELETE"
    return [
        f"GRANT USAGE ON SCHEMA public TO {user}",
        f"GRANT {data} ON ALL TABLES IN SCHEMA public TO {user}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {user}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {data} ON TABLES TO {user}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {user}",
    ]


def _execute(connection: Connection, statements: list[str]) -> None:
    from sqlalchemy import text

    for statement in statements:
        connection.execute(text(statement))


def migrate(engine: Engine, app_user: str, location: str = "") -> None:
    from tasklane.dal.postgres.migrate import upgrade

    with engine.begin() as connection:
        _execute(connection, app_user_statements(app_user))
    upgrade(engine, location=location)
    with engine.begin() as connection:
        _execute(connection, grant_statements(app_user))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    container = root.get()
    database = container.settings.db
    try:
        migrate(container.engine, database.app_user, database.migrations_dir)
    finally:
        # One invocation per deploy: no connection is worth keeping.
        container.engine.dispose()
    logger.info("migrations applied", extra={"app_user": database.app_user})
    return {"status": "migrated", "app_user": database.app_user}
