"""Moving records from moto's stream into the events handler, and reading both sides."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tasklane.dal.dynamodb.projected import DynamoProjectedItems
from tasklane.dal.dynamodb.table import Table
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.stream_poller import StreamPoller
from tests.integration.support import clients


def poller(config: LocalConfig, handler: Any, **kwargs: Any) -> StreamPoller:
    return StreamPoller(
        config.table_name,
        handler,
        region=config.region,
        endpoint_url=config.endpoint_url,
        **kwargs,
    )


def drain(p: StreamPoller, rounds: int = 50) -> int:
    """Poll until a round delivers nothing; returns the records delivered."""
    total = 0
    for _ in range(rounds):
        delivered = p.poll()
        if delivered == 0:
            return total
        total += delivered
    raise AssertionError("the stream did not drain")


def stream_records(config: LocalConfig) -> list[dict[str, Any]]:
    """Every record on the stream so far, in Lambda's shape."""
    batches: list[dict[str, Any]] = []

    def capture(event: dict[str, Any], context: Any) -> dict[str, Any]:
        batches.append(event)
        return {"batchItemFailures": []}

    drain(poller(config, capture))
    return [record for batch in batches for record in batch["Records"]]


def projected_tasks(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT task_id, project_id, title, description, status, priority, due_at, "
                "labels, version FROM tasks"
            )
        ).all()
    return {row[0]: tuple(row) for row in rows}


def projected_members(engine: Engine) -> set[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT project_id, user_id, role FROM project_members")).all()
    return {(r[0], r[1], r[2]) for r in rows}


def table_items(config: LocalConfig) -> DynamoProjectedItems:
    """What the projection follows, straight from DynamoDB (a test may Scan)."""
    return DynamoProjectedItems(Table(config.table_name, lambda: clients().dynamodb))


def table_tasks(config: LocalConfig) -> dict[str, int]:
    """Task id → version, straight from DynamoDB."""
    return {
        item["task_id"]: int(item["version"])
        for item in table_items(config).projected_items()
        if item.get("type") == "task"
    }
