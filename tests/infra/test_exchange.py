"""Export and import in the dev stack: the exchange bucket (parity with resources.py), the
workers outside the VPC on their queues, and grants held to their prefixes."""

from __future__ import annotations

import json
from typing import Any

from infra.exchange import WORKER_TIMEOUT_SECONDS

from tasklane.resources import EXCHANGE_BUCKET, EXPORTS_QUEUE, IMPORTS_QUEUE
from tests.infra.conftest import as_list, function_by_handler, function_statements, resources

EXPORTER = "tasklane.handlers.exporter.lambda_handler"
IMPORTER = "tasklane.handlers.importer.lambda_handler"
API = "tasklane.handlers.api.lambda_handler"


def _exchange_bucket(template: Any) -> dict[str, Any]:
    (bucket,) = [
        b["Properties"]
        for b in resources(template, "AWS::S3::Bucket").values()
        if "CorsConfiguration" in b["Properties"]
        and "VersioningConfiguration" not in b["Properties"]
    ]
    return bucket


def test_the_exchange_bucket_expires_exports_and_uploads_after_seven_days(
    dev_template: Any,
) -> None:
    bucket = _exchange_bucket(dev_template)
    assert bucket["PublicAccessBlockConfiguration"] == EXCHANGE_BUCKET.public_access_block()
    assert "LoggingConfiguration" in bucket
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    for want in EXCHANGE_BUCKET.lifecycle_rules():
        got = rules[want["ID"]]
        assert got["Prefix"] == want["Filter"]["Prefix"]
        assert got["ExpirationInDays"] == EXCHANGE_BUCKET.expiry_days == 7
        assert got["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] >= 1


def _statements_on(template: Any, handler: str, needle: str) -> set[str]:
    actions: set[str] = set()
    for statement in function_statements(template, handler):
        if needle in json.dumps(statement.get("Resource")):
            actions |= set(as_list(statement["Action"]))
    return actions


def test_the_workers_run_outside_the_vpc_one_job_at_a_time(dev_template: Any) -> None:
    mappings = [
        m["Properties"] for m in resources(dev_template, "AWS::Lambda::EventSourceMapping").values()
    ]
    for handler in (EXPORTER, IMPORTER):
        logical_id, fn = function_by_handler(dev_template, handler)
        assert "VpcConfig" not in fn
        assert fn["Timeout"] == WORKER_TIMEOUT_SECONDS
        (mapping,) = [m for m in mappings if m["FunctionName"] == {"Ref": logical_id}]
        assert mapping["BatchSize"] == 1
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queues = [q["Properties"] for q in resources(dev_template, "AWS::SQS::Queue").values()]
    for shape in (EXPORTS_QUEUE, IMPORTS_QUEUE):
        assert any(
            q.get("VisibilityTimeout") == shape.visibility_timeout_seconds
            and q.get("RedrivePolicy", {}).get("maxReceiveCount") == shape.max_receive_count
            for q in queues
        )


def test_object_grants_name_their_prefix(dev_template: Any) -> None:
    assert _statements_on(dev_template, EXPORTER, "/exports/*") == {
        "s3:PutObject",
        "s3:AbortMultipartUpload",
    }
    assert _statements_on(dev_template, EXPORTER, "/attachments/*") == {
        "s3:GetObject",
        "s3:GetObjectVersion",
    }
    assert _statements_on(dev_template, EXPORTER, "/imports/*") == set()
    assert _statements_on(dev_template, IMPORTER, "/imports/*") == {"s3:GetObject"}
    assert _statements_on(dev_template, IMPORTER, "/exports/*") == set()
    assert _statements_on(dev_template, API, "/imports/*") == {"s3:PutObject", "s3:GetObject"}
    assert _statements_on(dev_template, API, "/exports/*") == {"s3:GetObject"}
