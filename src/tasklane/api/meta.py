"""Public routes: health and the runtime configuration the web app reads."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api.http import container
from tasklane.domain.base import Model

router = Router()
TAGS = ["Meta"]


class Health(Model):
    status: str


class ClientConfig(Model):
    region: str
    user_pool_id: str
    client_id: str
    cognito_endpoint: str | None
    api_url: str
    realtime_url: str | None


@router.get("/health", tags=TAGS, summary="Liveness", security=[])
def health() -> Health:
    return Health(status="ok")


@router.get(
    "/config",
    tags=TAGS,
    summary="Runtime configuration for clients",
    description="One web build serves every environment: it reads where Cognito and the "
    "API are from here. `cognito_endpoint` is null in AWS (the SDK's default endpoint). "
    "`realtime_url` is the WebSocket API live updates come from (docs/realtime.md), null "
    "when live updates are off.",
    security=[],
)
def config() -> ClientConfig:
    settings = container(router).settings
    return ClientConfig(
        region=settings.region,
        user_pool_id=settings.user_pool_id,
        client_id=settings.user_pool_client_id,
        cognito_endpoint=settings.cognito_endpoint or None,
        api_url=settings.api_url,
        realtime_url=settings.realtime.url or None,
    )
