"""Log groups, made one way: the stage's retention and removal policy."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig

_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
}


def retention(days: int) -> logs.RetentionDays:
    """The shortest CloudWatch retention that keeps logs at least ``days`` days."""
    return next((v for d, v in sorted(_RETENTION.items()) if d >= days), _RETENTION[731])


def stage_log_group(
    scope: Construct, construct_id: str, config: StageConfig, **options: Any
) -> logs.LogGroup:
    """A log group kept ``config.log_retention_days`` (at least) and removed per stage."""
    return logs.LogGroup(
        scope,
        construct_id,
        retention=retention(config.log_retention_days),
        removal_policy=config.removal_policy,
        **options,
    )
