"""The prod stage: deletion protection on, stateful resources retained, HTTPS web tier,
and a cfn-lint-clean template (the dev one is linted in test_synth.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.infra.conftest import (
    PROD_ALARM_EMAIL,
    cfn_lint,
    function_by_handler,
    only,
    resources,
    stage_config,
)


def test_prod_without_an_alarm_email_does_not_synthesize() -> None:
    """cdk.json's prod names no alarm_email: its alarms would reach nobody."""
    from infra.app import build_app

    with pytest.raises(ValueError, match="alarm_email is required in production"):
        build_app({"stage": "prod"}, nag=False)


def test_prod_alarms_reach_the_alarm_email(prod_template: Any) -> None:
    topic_id, _ = only(prod_template, "AWS::SNS::Topic")
    (subscription,) = resources(prod_template, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == PROD_ALARM_EMAIL
    assert subscription["Properties"]["TopicArn"] == {"Ref": topic_id}


def test_the_api_has_reserved_concurrency(prod_template: Any) -> None:
    """Issue 14, finding 6: a flood of API requests cannot take the concurrency the stream
    and notifier functions need (the api function has its own share, and no more)."""
    _, api = function_by_handler(prod_template, "tasklane.handlers.api.lambda_handler")
    assert api["ReservedConcurrentExecutions"] == 100
    assert stage_config("prod").api_reserved_concurrency == 100
    for other in ("events", "notifier"):
        _, fn = function_by_handler(prod_template, f"tasklane.handlers.{other}.lambda_handler")
        assert "ReservedConcurrentExecutions" not in fn  # the account's pool


def test_deletion_protection_and_retention(prod_template: Any) -> None:
    (table,) = resources(prod_template, "AWS::DynamoDB::Table").values()
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    (pool,) = resources(prod_template, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["DeletionProtection"] == "ACTIVE"
    assert pool["DeletionPolicy"] == "Retain"
    for bucket in resources(prod_template, "AWS::S3::Bucket").values():
        assert bucket["DeletionPolicy"] == "Retain"


def test_prod_cors_names_the_production_origin(prod_template: Any) -> None:
    buckets = [
        b
        for b in resources(prod_template, "AWS::S3::Bucket").values()
        if "CorsConfiguration" in b["Properties"]
    ]
    assert len(buckets) == 2  # attachments, exchange
    for bucket in buckets:
        origins = bucket["Properties"]["CorsConfiguration"]["CorsRules"][0]["AllowedOrigins"]
        assert all(o.startswith("https://") for o in origins)


def test_database_is_protected_multi_az_and_snapshotted(prod_template: Any) -> None:
    (instance,) = resources(prod_template, "AWS::RDS::DBInstance").values()
    props = instance["Properties"]
    assert props["DeletionProtection"] is True
    assert props["MultiAZ"] is True
    assert props["DBInstanceClass"] == "db.t4g.medium"
    assert props["BackupRetentionPeriod"] == 30
    assert instance["DeletionPolicy"] == "Snapshot"
    assert instance["UpdateReplacePolicy"] == "Snapshot"


# --- web tier -------------------------------------------------------------------------------


def test_web_is_https_with_a_redirect_and_protected(prod_template: Any) -> None:
    listeners = [
        listener["Properties"]
        for listener in resources(prod_template, "AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    by_port = {listener["Port"]: listener for listener in listeners}
    assert set(by_port) == {80, 443}
    https = by_port[443]
    assert https["Protocol"] == "HTTPS"
    assert https["Certificates"][0]["CertificateArn"].startswith("arn:aws:acm:")
    assert https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    (redirect,) = by_port[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert redirect["RedirectConfig"]["Port"] == "443"
    (alb,) = resources(prod_template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    attributes = {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["deletion_protection.enabled"] == "true"
    config = stage_config("prod")
    (group,) = resources(prod_template, "AWS::AutoScaling::AutoScalingGroup").values()
    assert group["Properties"]["MinSize"] == str(config.web_min_capacity)
    assert group["Properties"]["MaxSize"] == str(config.web_max_capacity)
    # The domain, not the ALB's name, is the web app's URL and the API's primary origin.
    assert prod_template.to_json()["Outputs"]["WebUrl"]["Value"] == f"https://{config.web_domain}"


def test_prod_template_is_cfn_lint_clean(prod_template: Any, tmp_path: Path) -> None:
    path = tmp_path / "Tasklane-prod.template.json"
    path.write_text(json.dumps(prod_template.to_json()))
    assert cfn_lint(path) == []
