"""The smoke test (``make smoke``) against the stack `make run` starts: it passes, uses the
web app's log-in and the Cognito of ``GET /config``, and leaves nothing behind that the API
could delete. In AWS the same command runs after a deploy (docs/deploy.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from .support import StackProcess, clean_env, cognito_client

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
#: What `tasklane dev` names its table and bucket (tasklane.local.bootstrap's defaults).
TABLE = "tasklane"
BUCKET = "tasklane-attachments"


@pytest.fixture(scope="module")
def smoke_run(stack: StackProcess) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``python -m smoke --api <the stack>``, as `make smoke` runs it: a process of its own,
    which knows the stack by its URL only."""
    done = subprocess.run(
        [sys.executable, "-m", "smoke", "--api", stack.api_url, "--wait", "30", "--json"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    made: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return done, made


def _moto(stack: StackProcess, service: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret - moto's dummy key
    )


def test_the_smoke_test_passes_against_make_run(
    smoke_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    done, made = smoke_run
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    steps = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    assert all(line.startswith("ok ") for line in steps), done.stdout
    for needle in (
        "log in with the web app's flow",
        "upload an attachment and download it",
        "find the task by search",
        "the notifier tells the member",
        "clean-up: delete the project",
        "clean-up: delete the user",
    ):
        assert any(needle in line for line in steps), needle
    for made_id in ("project_id", "task_id", "attachment_id"):
        assert made[made_id], made_id
    assert len(made["users"]) == 2


def test_the_member_was_mailed_by_the_notifier(
    stack: StackProcess, smoke_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]
) -> None:
    _, made = smoke_run
    _, member = made["users"]
    mail = httpx.get(f"{stack.api_url}/_dev/mail", timeout=10).json()["items"]
    assert any(member in m["to"] and made["run"] in m["subject"] for m in mail), mail[:3]


def test_the_smoke_test_leaves_nothing_the_api_can_delete(
    stack: StackProcess,
    smoke_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
    client_config: dict[str, Any],
) -> None:
    _, made = smoke_run
    cognito = cognito_client(client_config)
    for email in made["users"]:
        users = cognito.list_users(
            UserPoolId=client_config["user_pool_id"], Filter=f'email = "{email}"'
        )["Users"]
        assert users == [], email
    cognito.close()
    project = made["project_id"]
    items = _moto(stack, "dynamodb").query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PROJECT#{project}"}},
    )["Items"]
    assert items == []  # the project, its membership items, task and attachment records
    s3 = _moto(stack, "s3")
    deadline = time.monotonic() + 20
    while True:  # the objects follow from the table's stream
        listing = s3.list_object_versions(Bucket=BUCKET, Prefix=f"attachments/{project}/")
        if not listing.get("Versions") and not listing.get("DeleteMarkers"):
            break
        assert time.monotonic() < deadline, listing.get("Versions")
        time.sleep(0.2)


def test_make_smoke_with_a_stage_finds_its_api_in_the_stack_outputs(stack: StackProcess) -> None:
    """`make smoke STAGE=...` reads the ApiUrl output of Tasklane-<stage> from CloudFormation
    (here moto's, with this stack's URL as the output), then runs the same scenario."""
    cloudformation = _moto(stack, "cloudformation")
    template = {
        "Resources": {"Nothing": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {"ApiUrl": {"Value": stack.api_url}},
    }
    cloudformation.create_stack(StackName="Tasklane-smoketest", TemplateBody=json.dumps(template))
    environment = clean_env(
        AWS_ENDPOINT_URL_CLOUDFORMATION=stack.aws_url,
        AWS_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # pragma: allowlist secret - moto's dummy key
    )
    done = subprocess.run(
        [sys.executable, "-m", "smoke", "--stage", "smoketest", "--wait", "30"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"smoke test against {stack.api_url}\n")
    cloudformation.delete_stack(StackName="Tasklane-smoketest")


def test_the_smoke_test_fails_when_the_api_is_not_there(tmp_path: Path) -> None:
    """Nothing listens: the first step fails, nothing was made, the exit code says so."""
    done = subprocess.run(
        [sys.executable, "-m", "smoke", "--api", "http://127.0.0.1:9", "--wait", "1"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "FAIL GET /config names the Cognito user pool and client" in done.stdout
    assert "smoke test FAILED" in done.stdout
