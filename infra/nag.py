"""cdk-nag acknowledgments: each names the rule, the construct it applies to and why."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledges ``rule`` (``AwsSolutions-IAM5``) for ``scope`` and everything below it.

    A finding with a specific resource (``AwsSolutions-IAM5[Resource::*]``) is acknowledged by
    its full id.
    """
    cdk.Validations.of(scope).acknowledge(
        cdk.Acknowledgment(id=f"AwsSolutions::{rule}", reason=reason)
    )
