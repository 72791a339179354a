"""/projects/{project_id}/trash and /tasks/{task_id}/restore."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import caller_id, container, etag, json_response
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Task, TaskPage

router = Router()
TAGS = ["Trash"]


@router.get(
    "/projects/<project_id>/trash",
    tags=TAGS,
    summary="List a project's trash",
    description="The project's deleted tasks, most recently deleted first, each with "
    "`deleted_at`, `deleted_by` and `purge_at` (members only). Two DynamoDB requests: the "
    "membership and one Query of at most `limit + 1` items.",
)
def list_trash(
    project_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TaskPage:
    listing = container(router).trash.list(caller_id(router), project_id, limit, cursor)
    return TaskPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.post(
    "/tasks/<task_id>/restore",
    tags=TAGS,
    summary="Restore a task from the trash (owner, editor)",
    description="Brings it back whole: the same id, fields, checklist, comments, attachments "
    "and assignee. 409 with `details.reason`: `not_in_trash`, `project_archived`, or "
    "`assignee_not_member` (the assignee left the project: send `unassign=true` to restore "
    "it unassigned). Two DynamoDB requests (a read, then one write).",
)
def restore_task(task_id: str, unassign: Annotated[bool, Query()] = False) -> Response[Task]:
    task = container(router).trash.restore(caller_id(router), task_id, unassign)
    return json_response(200, task, {"ETag": etag(task.version)})
