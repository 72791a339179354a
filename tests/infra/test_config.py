"""Stage settings: cdk.json's stages load, and mistakes fail the synth with a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from infra.config import StageConfig

from tests.infra.conftest import stage_config


def test_both_stages_load() -> None:
    dev, prod = stage_config("dev"), stage_config("prod")
    assert dev.removal_policy == cdk.RemovalPolicy.DESTROY
    assert prod.removal_policy == cdk.RemovalPolicy.RETAIN
    assert dev.web_url is None  # the ALB's DNS name, known at deploy time
    assert prod.web_url == f"https://{prod.web_domain}"
    assert prod.db_multi_az
    assert not dev.db_multi_az
    for config in (dev, prod):
        assert "@" in config.sender_email
        assert 1 <= config.web_min_capacity <= config.web_max_capacity


def test_removal_policy_can_be_overridden_per_stage() -> None:
    kept = StageConfig.from_dict("dev", {"retain_on_delete": True})
    assert kept.removal_policy == cdk.RemovalPolicy.RETAIN


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sender_email": "nobody"}, "sender_email"),
        ({"web_certificate_arn": "arn:aws:acm:eu-west-1:1:certificate/x"}, "web_domain"),
        ({"web_min_capacity": 3, "web_max_capacity": 2}, "web_min_capacity"),
        ({"web_origins": []}, "web_origins"),
        ({"production": True}, "alarm_email is required in production"),
        ({"production": True, "alarm_email": "nobody"}, "alarm_email"),
        ({"sender_identity": "maybe"}, "sender_identity"),
        ({"no_such_setting": 1}, "unknown settings"),
    ],
)
def test_mistakes_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StageConfig.from_dict("dev", values)


def test_a_dev_stage_without_alarm_email_warns_at_synth() -> None:
    from aws_cdk.assertions import Annotations, Match
    from infra.monitoring import Monitoring

    stack = cdk.Stack(cdk.App(), "Probe")
    Monitoring(stack, "Monitoring", config=StageConfig.from_dict("dev", {"alarm_email": ""}))
    Annotations.from_stack(stack).has_warning(
        "/Probe/Monitoring", Match.string_like_regexp("no alarm_email")
    )
    quiet = cdk.Stack(cdk.App(), "Quiet")
    Monitoring(quiet, "Monitoring", config=StageConfig.from_dict("dev", {"alarm_email": "a@b.c"}))
    Annotations.from_stack(quiet).has_no_warning("*", Match.string_like_regexp("alarm_email"))


def test_synth_warns_while_the_rds_ca_bundle_is_not_fetched(tmp_path: Path) -> None:
    """Issue 14, finding 8: the migrations verify the DB instance against the RDS CA bundle,
    which the operator fetches once (docs/deploy.md); without it the deploy would fail."""
    from aws_cdk.assertions import Annotations, Match
    from infra.functions import warn_without_rds_ca_bundle

    missing = cdk.Stack(cdk.App(), "Missing")
    warn_without_rds_ca_bundle(missing, tmp_path / "rds-ca-bundle.pem")
    Annotations.from_stack(missing).has_warning(
        "/Missing", Match.string_like_regexp("rds-ca-bundle.pem is missing")
    )
    fetched = tmp_path / "fetched.pem"
    fetched.write_text("placeholder: only its presence is checked at synth")
    present = cdk.Stack(cdk.App(), "Present")
    warn_without_rds_ca_bundle(present, fetched)
    Annotations.from_stack(present).has_no_warning("*", Match.string_like_regexp("rds-ca"))
