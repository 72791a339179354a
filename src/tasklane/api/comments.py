"""/tasks/{task_id}/comments"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import (
    IF_MATCH,
    caller_id,
    container,
    etag,
    expected_version,
    json_response,
    reads_headers,
)
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Comment,
    CommentCreate,
    CommentPage,
    CommentPatch,
)
from tasklane.observability import logger, metrics

router = Router()
TAGS = ["Comments"]


@router.post(
    "/tasks/<task_id>/comments",
    tags=TAGS,
    summary="Comment on a task (owner, editor)",
    description="`body`: 1-5,000 characters after trimming; line breaks and tabs are kept, "
    "other control characters refused. One DynamoDB request.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_comment(task_id: str, body: CommentCreate) -> Response[Comment]:
    user = caller_id(router)

    def work() -> StoredResponse:
        comment = container(router).comments.create(user, task_id, body)
        metrics.add_metric(name="CommentsCreated", unit=MetricUnit.Count, value=1)
        logger.info("comment created", extra={"task_id": task_id, "comment_id": comment.id})
        return {
            "status": 201,
            "body": comment.model_dump(mode="json"),
            "headers": {
                "ETag": etag(comment.version),
                "Location": f"/tasks/{task_id}/comments/{comment.id}",
            },
        }

    return idempotent(router, work)


@router.get(
    "/tasks/<task_id>/comments",
    tags=TAGS,
    summary="List a task's comments (any member), oldest first",
    description="Two DynamoDB requests a page.",
)
def list_comments(
    task_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> CommentPage:
    listing = container(router).comments.list(caller_id(router), task_id, limit, cursor)
    return CommentPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.patch(
    "/tasks/<task_id>/comments/<comment_id>",
    tags=TAGS,
    summary="Change your comment",
    description="Only its author (while an owner or editor). With `If-Match` only that "
    "version changes (else 412).",
    openapi_extensions=reads_headers(IF_MATCH),
)
def update_comment(task_id: str, comment_id: str, body: CommentPatch) -> Response[Comment]:
    comment = container(router).comments.update(
        caller_id(router), task_id, comment_id, body, expected_version(router)
    )
    return json_response(200, comment, {"ETag": etag(comment.version)})


@router.delete(
    "/tasks/<task_id>/comments/<comment_id>",
    tags=TAGS,
    summary="Delete a comment",
    description="Its author (while an owner or editor), or the project owner. With "
    "`If-Match` only that version is deleted (else 412).",
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def delete_comment(task_id: str, comment_id: str) -> Response[Any]:
    container(router).comments.delete(
        caller_id(router), task_id, comment_id, expected_version(router)
    )
    metrics.add_metric(name="CommentsDeleted", unit=MetricUnit.Count, value=1)
    return json_response(204, None)
