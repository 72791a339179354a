"""Webhook deliveries in the dev stack: the queue and its DLQ (the shape of resources.py,
encrypted, TLS-only), the worker outside the VPC on its queue with least-privilege grants,
the producers' send rights, and the alarms."""

from __future__ import annotations

import json
from typing import Any

from infra.webhooks import (
    OLDEST_MESSAGE_SECONDS,
    WORKER_BATCH_SIZE,
    WORKER_TABLE_ACTIONS,
    WORKER_TIMEOUT_SECONDS,
)

from tasklane.resources import WEBHOOKS_QUEUE
from tests.infra.conftest import as_list, function_by_handler, function_statements, resources

WORKER = "tasklane.handlers.webhooks.lambda_handler"
EVENTS = "tasklane.handlers.events.lambda_handler"
API = "tasklane.handlers.api.lambda_handler"


def _queue(template: Any) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (logical_id, q["Properties"])
        for logical_id, q in resources(template, "AWS::SQS::Queue").items()
        if logical_id.startswith("WebhooksDeliveriesQueue")
    ]
    return found


def test_the_deliveries_queue_has_the_shared_shape(dev_template: Any) -> None:
    _, queue = _queue(dev_template)
    assert queue["VisibilityTimeout"] == WEBHOOKS_QUEUE.visibility_timeout_seconds
    assert queue["RedrivePolicy"]["maxReceiveCount"] == WEBHOOKS_QUEUE.max_receive_count
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] >= OLDEST_MESSAGE_SECONDS
    policies = json.dumps(resources(dev_template, "AWS::SQS::QueuePolicy"))
    assert "WebhooksDeliveriesQueue" in policies
    assert '"aws:SecureTransport": "false"' in policies


def test_the_worker_runs_outside_the_vpc_with_its_own_grants(dev_template: Any) -> None:
    logical_id, fn = function_by_handler(dev_template, WORKER)
    assert "VpcConfig" not in fn
    assert fn["Timeout"] == WORKER_TIMEOUT_SECONDS
    mappings = [
        m["Properties"]
        for m in resources(dev_template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": logical_id}
    ]
    (mapping,) = mappings
    assert mapping["BatchSize"] == WORKER_BATCH_SIZE
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    actions: set[str] = set()
    for statement in function_statements(dev_template, WORKER):
        actions |= set(as_list(statement["Action"]))
    dynamodb = {a for a in actions if a.startswith("dynamodb:")}
    assert dynamodb == set(WORKER_TABLE_ACTIONS)
    assert not any(a.startswith(("s3:", "ses:", "rds")) for a in actions), actions
    assert "sqs:SendMessage" not in actions
    assert "sqs:ChangeMessageVisibility" in actions


def test_the_producers_may_send_deliveries(dev_template: Any) -> None:
    queue_id, _ = _queue(dev_template)
    for handler in (EVENTS, API):
        sends = [
            s
            for s in function_statements(dev_template, handler)
            if "sqs:SendMessage" in as_list(s["Action"]) and queue_id in json.dumps(s["Resource"])
        ]
        assert sends, handler
        _, fn = function_by_handler(dev_template, handler)
        assert "TASKLANE_WEBHOOKS_QUEUE_URL" in fn["Environment"]["Variables"]


def test_the_dlq_errors_and_stuck_deliveries_are_alarmed(dev_template: Any) -> None:
    alarms = {
        a["Properties"].get("AlarmDescription", ""): a["Properties"]
        for a in resources(dev_template, "AWS::CloudWatch::Alarm").values()
    }
    assert "Webhooks: DLQ not empty" in alarms
    assert "Webhooks: errors" in alarms
    oldest = alarms[f"Webhooks: a job has waited over {OLDEST_MESSAGE_SECONDS} s for 10 minutes"]
    assert oldest["Threshold"] == OLDEST_MESSAGE_SECONDS
