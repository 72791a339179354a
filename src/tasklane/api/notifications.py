"""/notifications: the caller's in-app notifications.

Light at import (cold start): the use case and its DynamoDB adapter are built by the
container on the first request that needs them.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import caller_id, container, json_response
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tasklane.domain.notifications import NotificationPage

router = Router()
TAGS = ["Notifications"]


@router.get(
    "/notifications",
    tags=TAGS,
    summary="List your notifications, newest first",
    description="`unread` is the number of unread notifications in total, not only on this "
    "page. `unread_only=true` lists the unread ones only.",
)
def list_notifications(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    unread_only: Annotated[bool, Query()] = False,
) -> NotificationPage:
    return container(router).inbox.list(caller_id(router), limit, cursor, unread_only)


@router.post(
    "/notifications/read-all",
    tags=TAGS,
    summary="Mark all your notifications read",
    status_code=204,
)
def read_all_notifications() -> Response[None]:
    container(router).inbox.mark_all_read(caller_id(router))
    return json_response(204, None)


@router.post(
    "/notifications/<notification_id>/read",
    tags=TAGS,
    summary="Mark one notification read",
    description="Idempotent: reading a read notification answers 204 too. Unknown ids, and "
    "other users' notifications, are 404.",
    status_code=204,
)
def read_notification(notification_id: str) -> Response[Any]:
    container(router).inbox.mark_read(caller_id(router), notification_id)
    return json_response(204, None)
