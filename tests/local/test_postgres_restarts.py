"""`tasklane dev`'s PostgreSQL: migrated on start, and its data survives a restart."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tasklane.local.postgres import LocalPostgres
from tasklane.local.postgres import data_dir as postgres_data_dir
from tasklane.local.runtime import LocalStack


def _connect(database_dir: Path) -> tuple[LocalPostgres, psycopg.Connection]:
    server = LocalPostgres(database_dir)
    database = server.start()
    settings = database.settings()
    connection = psycopg.connect(
        host=settings.host,
        port=settings.port,
        user=settings.user,
        dbname=settings.name,
        autocommit=True,
    )
    return server, connection


def test_migrations_run_on_start_and_data_survives_a_restart(tmp_path: Path) -> None:
    with LocalStack(port=0, aws_port=0, state_dir=tmp_path):
        pass  # started (and migrated) once, then stopped

    server, connection = _connect(postgres_data_dir(tmp_path))
    try:
        with connection:
            version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            assert version is not None
            connection.execute(
                "INSERT INTO profiles (user_id, email, display_name) VALUES (%s, %s, %s)",
                ("sub-restart", "restart@example.com", "Restart"),
            )
    finally:
        server.stop()

    # A second start finds the same data and does not migrate it away.
    with LocalStack(port=0, aws_port=0, state_dir=tmp_path):
        pass
    server, connection = _connect(postgres_data_dir(tmp_path))
    try:
        with connection:
            row = connection.execute(
                "SELECT email FROM profiles WHERE user_id = %s", ("sub-restart",)
            ).fetchone()
            again = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        server.stop()
    assert row == ("restart@example.com",)
    assert again == version
