"""The prod stage: deletion protection on, stateful resources retained."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.infra.conftest import resources


@pytest.fixture(scope="module")
def prod_template() -> Iterator[Any]:
    from aws_cdk.assertions import Template
    from infra.app import build_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDK_VALIDATION", "false")
        _, stack = build_app({"stage": "prod"}, nag=False)
        yield Template.from_stack(stack)


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
    (bucket,) = [
        b
        for b in resources(prod_template, "AWS::S3::Bucket").values()
        if "CorsConfiguration" in b["Properties"]
    ]
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
