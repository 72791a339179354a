"""/projects/{project_id}/webhooks: a project owner's webhooks (the secret shown once)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.exchange.registrations import (
    DeliveryLog,
    Webhook,
    WebhookCreate,
    WebhookList,
    WebhookPatch,
    WebhookSecret,
)
from tasklane.observability import metrics

router = Router()
TAGS = ["Webhooks"]
BASE = "/projects/<project_id>/webhooks"
ONE = f"{BASE}/<webhook_id>"
#: A secret is in the body: no cache may keep it.
NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    BASE,
    tags=TAGS,
    summary="Register a webhook (owner); its signing secret is in this answer only",
    description="`url`: https, on a public address (checked now and before each delivery; "
    "a private, loopback, link-local or metadata address is 422 `unsafe_url`). `events` "
    "omitted or null: every event. At most 10 per project (409). Deliveries are signed: "
    "see the webhooks section of docs/api.md.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_webhook(project_id: str, body: WebhookCreate) -> Response[WebhookSecret]:
    user = caller_id(router)

    def work() -> StoredResponse:
        created = container(router).webhooks.create(user, project_id, body)
        metrics.add_metric(name="WebhooksCreated", unit=MetricUnit.Count, value=1)
        location = f"/projects/{created.webhook.project_id}/webhooks/{created.webhook.id}"
        return {
            "status": 201,
            "body": created.model_dump(mode="json"),
            "headers": {"Location": location, **NO_STORE},
        }

    return idempotent(router, work)


@router.get(BASE, tags=TAGS, summary="A project's webhooks (owner), oldest first")
def list_webhooks(project_id: str) -> WebhookList:
    return WebhookList(items=list(container(router).webhooks.list(caller_id(router), project_id)))


@router.get(ONE, tags=TAGS, summary="One webhook (owner)")
def get_webhook(project_id: str, webhook_id: str) -> Webhook:
    return container(router).webhooks.get(caller_id(router), project_id, webhook_id)


@router.patch(
    ONE,
    tags=TAGS,
    summary="Change a webhook (owner)",
    description="Send only what changes. `enabled: false` switches it off; `enabled: true` "
    "switches it on again and starts its failure count anew. A new `url` is checked as at "
    "registration.",
)
def patch_webhook(project_id: str, webhook_id: str, body: WebhookPatch) -> Webhook:
    return container(router).webhooks.update(caller_id(router), project_id, webhook_id, body)


@router.post(
    f"{ONE}/rotate",
    tags=TAGS,
    summary="A new signing secret (owner), in force from the next attempt; shown once",
)
def rotate_webhook_secret(project_id: str, webhook_id: str) -> Response[WebhookSecret]:
    rotated = container(router).webhooks.rotate(caller_id(router), project_id, webhook_id)
    return json_response(200, rotated, NO_STORE)


@router.delete(ONE, tags=TAGS, summary="Delete a webhook and its delivery log (owner)",
               status_code=204)  # fmt: skip
def delete_webhook(project_id: str, webhook_id: str) -> Response[Any]:
    container(router).webhooks.delete(caller_id(router), project_id, webhook_id)
    return json_response(204, None)


@router.get(
    f"{ONE}/deliveries",
    tags=TAGS,
    summary="The delivery log (owner): the last 100 attempts, newest first",
)
def list_deliveries(project_id: str, webhook_id: str) -> DeliveryLog:
    items = container(router).webhooks.deliveries(caller_id(router), project_id, webhook_id)
    return DeliveryLog(items=items)
