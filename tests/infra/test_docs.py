"""docs/architecture.md's diagram names what the template defines (no function or tier
forgotten when the app grows)."""

from __future__ import annotations

import re
from typing import Any

from tests.infra.conftest import ROOT, resources


def _diagram() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text()
    match = re.search(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert match, "docs/architecture.md has no Mermaid diagram"
    return match.group(1)


def test_diagram_names_every_function_and_tier(dev_template: Any) -> None:
    diagram = _diagram()
    handlers = {
        str(f["Properties"]["Handler"]).split(".")[2]
        for f in resources(dev_template, "AWS::Lambda::Function").values()
        if str(f["Properties"].get("Handler", "")).startswith("tasklane.handlers.")
    }
    assert handlers == {
        "api", "events", "migrate", "sweeper", "notifier", "reminders", "exporter", "importer",
        "webhooks",
        "realtime_authorizer", "realtime", "live",
    }  # fmt: skip
    for name in handlers:
        assert f"{name} λ" in diagram, name
    kinds = {
        "AWS::Cognito::UserPool": "Cognito",
        "AWS::WAFv2::WebACL": "WAF",
        "AWS::ApiGateway::RestApi": "API Gateway",
        "AWS::ApiGatewayV2::Api": "API Gateway WebSocket",
        "AWS::DynamoDB::Table": "DynamoDB",
        "AWS::SES::EmailIdentity": "SES",
        "AWS::RDS::DBProxy": "RDS Proxy",
        "AWS::RDS::DBInstance": "RDS PostgreSQL",
        "AWS::ElasticLoadBalancingV2::LoadBalancer": "ALB",
        "AWS::AutoScaling::AutoScalingGroup": "Auto Scaling group",
        "AWS::SNS::Topic": "SNS",
        "AWS::CloudWatch::Dashboard": "CloudWatch",
        "AWS::Events::Rule": "EventBridge",
    }
    for kind, label in kinds.items():
        assert resources(dev_template, kind), kind
        assert label in diagram, label
    for endpoint in ("Secrets Manager", "SQS", "DynamoDB, S3"):
        assert endpoint in diagram, endpoint
    assert "DLQ" in diagram
