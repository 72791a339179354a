"""The CDK app: ``python -m infra.app`` (synth, no CLI needed) or the CDK CLI via cdk.json.

Every synth runs cdk-nag's AwsSolutions checks: a finding that is neither fixed nor
acknowledged (``infra.nag.acknowledge``) makes the synth fail.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.config import StageConfig
from infra.stack import TasklaneStack

ROOT = Path(__file__).resolve().parent.parent
#: The region of a synth without the CDK CLI's environment (deploys always have one).
OFFLINE_REGION = "us-east-1"


def file_context() -> dict[str, Any]:
    """cdk.json's ``context``: the CLI passes it to the app, a bare ``cdk.App()`` does not."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def build_app(
    context: dict[str, Any] | None = None, *, outdir: str | None = None, nag: bool = True
) -> tuple[cdk.App, TasklaneStack]:
    app = cdk.App(context={**file_context(), **(context or {})}, outdir=outdir)
    config = StageConfig.from_context(app.node)
    # The CLI's account and region when deploying. Offline (tests, `make synth`) the account
    # stays unknown but the region is pinned: ALB access logging must know the region (its
    # log-delivery principal is per region), and the CLI synthesizes again for the real one.
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = os.environ.get("CDK_DEFAULT_REGION") or OFFLINE_REGION
    env = cdk.Environment(account=account, region=region)
    stack = TasklaneStack(
        app,
        f"Tasklane-{config.stage}",
        config=config,
        env=env,
        description=f"Tasklane ({config.stage}): serverless task management",
    )
    # A proxy target group takes no tags (CloudFormation's schema refuses them).
    untaggable = ["AWS::RDS::DBProxyTargetGroup"]
    cdk.Tags.of(app).add("project", "tasklane", exclude_resource_types=untaggable)
    cdk.Tags.of(app).add("stage", config.stage, exclude_resource_types=untaggable)
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(verbose=True))
    return app, stack


def main() -> None:
    app, _ = build_app()
    app.synth()


if __name__ == "__main__":
    main()
