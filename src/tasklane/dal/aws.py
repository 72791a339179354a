"""boto3 clients, created once per container on first use.

Creating a client costs ~50 ms and importing boto3 ~170 ms, so neither happens at import
time: a cold start pays only for what its first request needs.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client


@cache
def dynamodb() -> DynamoDBClient:
    return cast("DynamoDBClient", _client("dynamodb"))


@cache
def s3() -> S3Client:
    """Also signs the presigned POST and GET URLs handed to browsers: in AWS they name the
    regional virtual-hosted endpoint; locally (``AWS_ENDPOINT_URL``) moto's, path-style."""
    import os

    import boto3
    from botocore.config import Config

    from tasklane.observability import tracer

    tracer.patch(["botocore"])

    local = bool(os.environ.get("AWS_ENDPOINT_URL"))
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if local else "virtual"},
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    if local:
        return boto3.client("s3", config=config)
    # The regional endpoint, named explicitly: presigned URLs otherwise use the global
    # ``s3.amazonaws.com`` in us-east-1, which redirects for a fresh bucket elsewhere.
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    return boto3.client("s3", config=config, endpoint_url=f"https://s3.{region}.amazonaws.com")


def _client(service: str) -> Any:
    """A client with standard retries and short timeouts (DynamoDB, SQS, SES)."""
    import boto3
    from botocore.config import Config

    from tasklane.observability import tracer

    tracer.patch(["botocore"])
    config = Config(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    return boto3.client(service, config=config)  # type: ignore[call-overload]


@cache
def sqs() -> Any:
    """The notification jobs queue (SendMessageBatch from the events and reminders functions)."""
    return _client("sqs")


@cache
def ses() -> Any:
    """SES v2 (``send_email``), for the notifier."""
    return _client("sesv2")
