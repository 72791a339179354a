"""``python -m smoke``: the smoke test against the local stack, a deployed stage, or a URL.

    python -m smoke                      # the stack `make run` serves (127.0.0.1:8000)
    python -m smoke --stage dev          # a deployed stage: its ApiUrl from CloudFormation
    python -m smoke --api https://...    # any Tasklane API

Exit code 0 when every step and every clean-up passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict

from smoke.runner import Runner, SmokeFailure
from smoke.scenario import Scenario, Settings

LOCAL_API = "http://127.0.0.1:8000"


def stage_api_url(stage: str) -> str:
    """The ``ApiUrl`` output of the stage's stack (AWS credentials and region from the
    environment, as for ``make deploy``)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    name = f"Tasklane-{stage}"
    # AWS_REGION as the CDK CLI reads it; else botocore's own chain (AWS_DEFAULT_REGION, the
    # profile's region).
    region = os.environ.get("AWS_REGION") or None
    try:
        client = boto3.client("cloudformation", region_name=region)
        stacks = client.describe_stacks(StackName=name)["Stacks"]
    except (BotoCoreError, ClientError) as error:
        raise SmokeFailure(f"cannot read the stack {name}: {error}") from error
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    if "ApiUrl" not in outputs:
        raise SmokeFailure(f"the stack {name} has no ApiUrl output (not deployed yet?)")
    return str(outputs["ApiUrl"])


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m smoke", description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--api", help=f"the API's URL (default: {LOCAL_API}, `make run`)")
    where.add_argument("--stage", help="a deployed stage (cdk.json): its stack's ApiUrl")
    parser.add_argument(
        "--confirm",
        choices=("admin", "code"),
        default="admin",
        help="confirm sign-ups as an administrator with your AWS credentials (default), or "
        "by typing the codes Cognito e-mails (use --email with an inbox you read)",
    )
    parser.add_argument(
        "--email",
        help="the users' addresses, '{label}' replaced (e.g. 'me+{label}@example.org'); "
        "default: SES's mailbox simulator in AWS, example.com locally",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=120.0,
        help="seconds search and notifications may take (default 120)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print what was made as JSON at the end"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        api_url = stage_api_url(args.stage) if args.stage else (args.api or LOCAL_API)
    except SmokeFailure as failure:
        print(f"smoke test FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"smoke test against {api_url}")
    settings = Settings(
        api_url=api_url, confirm=args.confirm, email=args.email, wait_seconds=args.wait
    )
    runner = Runner(sys.stdout)
    scenario = Scenario(settings, runner)
    try:
        code = runner.run(scenario.steps())
    finally:
        scenario.close()
    if args.json:
        print(json.dumps(asdict(scenario.made)))
    return code


if __name__ == "__main__":
    sys.exit(main())
