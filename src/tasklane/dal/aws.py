"""boto3 clients, created once per container on first use.

Creating a client costs ~50 ms and importing boto3 ~170 ms, so neither happens at import
time: a cold start pays only for what its first request needs.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@cache
def dynamodb() -> DynamoDBClient:
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
    return boto3.client("dynamodb", config=config)
