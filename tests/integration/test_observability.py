"""Structured JSON logs with the request's correlation id, and EMF metrics."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from tests.integration.conftest import Api


@pytest.fixture
def log_lines(api: Api) -> Iterator[io.StringIO]:
    """What the handler's Powertools logger writes, at INFO, formatted as in Lambda."""
    from tasklane.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    level = logger.log_level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def _records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_logs_are_json_and_carry_the_request_id(api: Api, log_lines: io.StringIO) -> None:
    reply = api.post("/projects/inbox/tasks", {"title": "observed"})
    assert reply.status == 201
    refused = api.get("/tasks/nope")
    assert refused.status == 404

    records = _records(log_lines)
    created = next(r for r in records if r["message"] == "task created")
    assert created["task_id"] == reply.body["id"]
    assert created["service"] == "tasklane-test"
    assert created["function_name"] == "tasklane-api"
    refusal = next(r for r in records if r["message"] == "request refused")
    assert (refusal["status"], refusal["code"]) == (404, "not_found")
    # Each line names its own request: API Gateway's requestId is the correlation id.
    assert created["correlation_id"]
    assert refusal["correlation_id"]
    assert created["correlation_id"] != refusal["correlation_id"]


def test_validation_failures_are_logged_with_their_fields(api: Api, log_lines: io.StringIO) -> None:
    assert api.post("/projects/inbox/tasks", {"title": ""}).status == 422
    invalid = next(r for r in _records(log_lines) if r["message"] == "request invalid")
    assert invalid["errors"][0]["loc"] == ["body", "title"]  # type: ignore[index]


def test_created_tasks_are_counted_as_emf_metrics(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert api.post("/projects/inbox/tasks", {"title": "counted"}).status == 201
    blobs = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    emf = [b for b in blobs if "TasksCreated" in b]
    assert len(emf) == 1
    directive = emf[0]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "TasklaneTest"
    assert {"Name": "TasksCreated", "Unit": "Count"} in directive["Metrics"]
    assert emf[0]["TasksCreated"] == [1.0]
