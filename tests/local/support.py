"""Helpers shared by the local-runtime tests."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from typing import Any

import boto3

from tasklane.cli.users import CognitoTarget
from tasklane.local.bootstrap import LocalConfig
from tasklane.local.launcher import DUMMY_CREDENTIALS

PASSWORD = "Correct-Horse-9x"

#: Forges a token: claims override a valid ID token's claims (None removes a claim).
Forge = Callable[..., str]


def target_of(config: LocalConfig) -> CognitoTarget:
    return CognitoTarget(
        region=config.region,
        user_pool_id=config.user_pool_id,
        client_id=config.client_id,
        endpoint_url=config.endpoint_url,
    )


def moto_client(config: LocalConfig, service: str) -> Any:
    """A boto3 client for ``service`` of the local moto (its dummy credentials)."""
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=config.endpoint_url,
        region_name=config.region,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def echo_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A stand-in API handler: answers with the event and context it received."""
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(
            {
                "event": event,
                "context": {
                    "function_name": context.function_name,
                    "memory_limit_in_mb": context.memory_limit_in_mb,
                    "invoked_function_arn": context.invoked_function_arn,
                    "aws_request_id": context.aws_request_id,
                    "remaining_ms": context.get_remaining_time_in_millis(),
                },
            }
        ),
    }


def config_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A stand-in API handler that serves ``GET /config`` from the environment, as the real
    one does from :mod:`tasklane.settings`; everything else gets the echo."""
    if event["path"] != "/config":
        return echo_handler(event, context)
    config = {
        "region": os.environ["AWS_REGION"],
        "user_pool_id": os.environ["TASKLANE_USER_POOL_ID"],
        "client_id": os.environ["TASKLANE_USER_POOL_CLIENT_ID"],
        "cognito_endpoint": os.environ["TASKLANE_COGNITO_ENDPOINT"],
        "api_url": os.environ["TASKLANE_API_URL"],
    }
    return {"statusCode": 200, "body": json.dumps(config)}


def is_listening(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True
