"""/notifications: the caller's in-app notifications.

Light at import (cold start): the use case and its DynamoDB adapter are built on the first
request that needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import caller_id, json_response
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tasklane.domain.notifications import NotificationPage

if TYPE_CHECKING:
    from tasklane.logic.notifications.inbox import InboxService

router = Router()
TAGS = ["Notifications"]
_service: InboxService | None = None


def inbox() -> InboxService:
    global _service
    if _service is None:
        from tasklane.dal.dynamodb.notifications import DynamoInbox
        from tasklane.logic.notifications.inbox import InboxService
        from tasklane.logic.pages import Cursors
        from tasklane.settings import get_cursor_secret, get_settings

        _service = InboxService(
            DynamoInbox(get_settings().table_name), Cursors(get_cursor_secret())
        )
    return _service


def reset() -> None:
    """Tests: rebuild on next use (after the settings changed)."""
    global _service
    _service = None


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
    return inbox().list(caller_id(router), limit, cursor, unread_only)


@router.post(
    "/notifications/read-all",
    tags=TAGS,
    summary="Mark all your notifications read",
    status_code=204,
)
def read_all_notifications() -> Response[None]:
    inbox().mark_all_read(caller_id(router))
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
    inbox().mark_read(caller_id(router), notification_id)
    return json_response(204, None)
