"""boto3 clients, one set per container, each created on first use.

Creating a client costs ~50 ms and importing boto3 ~170 ms, so neither happens at import
time: a cold start pays only for what its first request needs. X-Ray patches botocore when
the first client is made (patching every library it supports would cost ~120 ms at start).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

    from tasklane.settings import AwsSettings


class AwsClients:
    """The clients of one container (its settings name the region and, locally, moto)."""

    def __init__(self, settings: AwsSettings) -> None:
        self._settings = settings

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        return cast("DynamoDBClient", self._client("dynamodb"))

    @cached_property
    def s3(self) -> S3Client:
        """Also signs the presigned POST and GET URLs handed to browsers: in AWS they name
        the regional virtual-hosted endpoint; locally (an endpoint URL) moto's, path-style."""
        from botocore.config import Config

        local = bool(self._settings.endpoint_url)
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if local else "virtual"},
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=2,
            read_timeout=5,
            tcp_keepalive=True,
        )
        # In AWS the regional endpoint, named explicitly: presigned URLs otherwise use the
        # global ``s3.amazonaws.com`` in us-east-1, which redirects for a fresh bucket
        # elsewhere.
        region = self._settings.region
        endpoint = self._settings.endpoint_url or f"https://s3.{region}.amazonaws.com"
        client = self._boto3().client(
            "s3", config=config, region_name=region, endpoint_url=endpoint
        )
        return cast("S3Client", client)

    @cached_property
    def sqs(self) -> Any:
        """The notification jobs queue (SendMessageBatch from the events and reminders
        functions)."""
        return self._client("sqs")

    @cached_property
    def ses(self) -> Any:
        """SES v2 (``send_email``), for the notifier."""
        return self._client("sesv2")

    @cached_property
    def secretsmanager(self) -> Any:
        return self._client("secretsmanager")

    def management_api(self, endpoint: str) -> Any:
        """The WebSocket API's Management API (``PostToConnection``), at the stage's own
        endpoint (``https://<api id>.execute-api.<region>.amazonaws.com/<stage>``; the local
        gateway's ``/realtime`` locally): it has no regional endpoint of its own."""
        return self._client("apigatewaymanagementapi", endpoint)

    def _client(self, service: str, endpoint: str | None = None) -> Any:
        """A client with standard retries and short timeouts (DynamoDB, SQS, SES)."""
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=2,
            read_timeout=5,
            tcp_keepalive=True,
        )
        return self._boto3().client(
            service,
            config=config,
            region_name=self._settings.region,
            endpoint_url=endpoint or self._settings.endpoint_url or None,
        )

    def _boto3(self) -> Any:
        import boto3

        from tasklane.observability import tracer

        tracer.patch(["botocore"])
        return boto3
