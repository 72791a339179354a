"""The local stack in this process (moto, gateway, stream poller, embedded PostgreSQL), so
that a test can reach inside it: stop PostgreSQL, drive or replace the stream poller, read
the table's stream. One stack per module; each test works in projects of its own."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from load.run import emulator_client

from tasklane.local.runtime import LocalStack
from tasklane.local.stream_poller import StreamPoller
from tasklane.logic.reconcile import Report
from tests.e2e.support import PASSWORD, new_client


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    # Not pytest's tmp_path: its directories are 0700 and the embedded PostgreSQL runs as a
    # system user of its own (as root), which must reach its data directory.
    with tempfile.TemporaryDirectory(prefix="tasklane-faults-") as state:
        os.chmod(state, 0o755)  # noqa: S103 - a throw-away test directory
        with LocalStack(port=0, aws_port=0, state_dir=state) as running:
            yield running


@pytest.fixture(scope="module")
def client(stack: LocalStack) -> Iterator[httpx.Client]:
    """A real user's API client (every response: no 5xx, errors in the documented shape)."""
    tokens = stack.create_user(f"faults-{uuid.uuid4().hex[:8]}@example.com", PASSWORD)
    with new_client(stack.api_url, tokens.id_token) as http:
        yield http


def dynamodb(stack: LocalStack) -> Any:
    return emulator_client("dynamodb", stack.aws_endpoint_url, stack.config.region)


def drain(poller: StreamPoller, rounds: int = 20) -> None:
    """Poll by hand until a round finds nothing new (the background thread is stopped)."""
    for _ in range(rounds):
        if poller.poll() == 0:
            return


def reconcile_now(stack: LocalStack, *, fix: bool = False) -> Report:
    """What ``tasklane reconcile`` computes, against this stack (a fresh engine each time:
    PostgreSQL may have been restarted)."""
    from tasklane.dal.dynamodb.projected import DynamoProjectedItems
    from tasklane.dal.dynamodb.table import Table
    from tasklane.dal.postgres.database import PostgresDatabase
    from tasklane.dal.postgres.engine import create_engine
    from tasklane.logic.reconcile import reconcile

    client = dynamodb(stack)
    source = DynamoProjectedItems(Table(stack.config.table_name, lambda: client))
    database = PostgresDatabase(lambda: create_engine(stack.database.settings()))
    try:
        return reconcile(source, database, fix=fix)
    finally:
        database.dispose()


def wait_caught_up(stack: LocalStack, timeout: float = 30.0) -> Report:
    """Reconcile until the projection matches DynamoDB (or ``timeout``: the last report)."""
    deadline = time.monotonic() + timeout
    while True:
        report = reconcile_now(stack)
        if report.total == 0 or time.monotonic() > deadline:
            return report
        time.sleep(0.2)


def new_project(client: httpx.Client, name: str) -> str:
    response = client.post("/projects", json={"name": name})
    assert response.status_code == 201, response.text
    project_id: str = response.json()["id"]
    return project_id


def new_task(client: httpx.Client, project_id: str, title: str) -> tuple[str, str]:
    response = client.post(f"/projects/{project_id}/tasks", json={"title": title})
    assert response.status_code == 201, response.text
    return response.json()["id"], response.headers["ETag"]


def truncate_projection(stack: LocalStack) -> None:
    """An empty projection (profiles kept): the state before any stream record arrived."""
    import psycopg

    settings = stack.database.settings()
    with psycopg.connect(
        host=settings.host, port=settings.port, user=settings.user, dbname=settings.name
    ) as conn:
        conn.execute("TRUNCATE tasks, project_members, projects, tombstones")
