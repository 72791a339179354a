"""/projects/{project_id}/activity and /tasks/{task_id}/activity: the history."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import caller_id, container
from tasklane.domain.activity import ActivityPage
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = Router()
TAGS = ["Activity"]
_WHAT = (
    "Each entry: who (`actor_id`), when (`at`), what (`subject`, `action`, and for "
    "`updated` the `field` with its `old` and `new` value, long texts abbreviated). "
    "Recorded from the table's stream a moment after the change, kept one year. Newest "
    "first; members only. Two DynamoDB requests: the membership and one Query of at most "
    "`limit + 1` items."
)


@router.get(
    "/projects/<project_id>/activity",
    tags=TAGS,
    summary="A project's activity feed",
    description="Changes of the project, its members, tasks, comments and attachments. " + _WHAT,
)
def project_activity(
    project_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ActivityPage:
    listing = container(router).activity.project(caller_id(router), project_id, limit, cursor)
    return ActivityPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.get(
    "/tasks/<task_id>/activity",
    tags=TAGS,
    summary="A task's history",
    description="Changes of the task (field by field, checklist items one by one), its "
    "comments and attachments. " + _WHAT,
)
def task_activity(
    task_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ActivityPage:
    listing = container(router).activity.task(caller_id(router), task_id, limit, cursor)
    return ActivityPage(items=list(listing.items), next_cursor=listing.next_cursor)
