"""/tasks/{task_id}/checklist: a task's checklist items."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

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
from tasklane.domain.checklists import ChecklistItem, ChecklistItemCreate, ChecklistItemPatch
from tasklane.domain.models import Task

router = Router()
TAGS = ["Checklists"]
_ONE_WRITE = (
    " One DynamoDB request (a placement by `before`/`after` reads the checklist first; send "
    "`position` to spare it). `If-Match` names the task's version; without it, changes to "
    "different items never conflict."
)


@router.post(
    "/tasks/<task_id>/checklist",
    tags=TAGS,
    summary="Add a checklist item (owner, editor)",
    description="`text`: one line of 1-500 characters; at most 100 items (409 "
    "`checklist_full`). Placed at the end unless `before`, `after` or `position` say "
    "otherwise." + _ONE_WRITE,
    status_code=201,
    openapi_extensions=reads_headers(IF_MATCH, IDEMPOTENCY_KEY),
)
def add_item(task_id: str, body: ChecklistItemCreate) -> Response[ChecklistItem]:
    user, version = caller_id(router), expected_version(router)

    def work() -> StoredResponse:
        item = container(router).checklists.add(user, task_id, body, version)
        return {"status": 201, "body": item.model_dump(mode="json"), "headers": {}}

    return idempotent(router, work)


@router.patch(
    "/tasks/<task_id>/checklist/<item_id>",
    tags=TAGS,
    summary="Edit, tick or move a checklist item (owner, editor)",
    description="`text`, `done` and a placement (`before`/`after` or `position`), any of them."
    + _ONE_WRITE,
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def change_item(task_id: str, item_id: str, body: ChecklistItemPatch) -> Response[None]:
    container(router).checklists.change(
        caller_id(router), task_id, item_id, body, expected_version(router)
    )
    return json_response(204, None)


@router.delete(
    "/tasks/<task_id>/checklist/<item_id>",
    tags=TAGS,
    summary="Remove a checklist item (owner, editor)",
    description="One DynamoDB request; 404 if the item is gone already.",
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def remove_item(task_id: str, item_id: str) -> Response[None]:
    container(router).checklists.remove(
        caller_id(router), task_id, item_id, expected_version(router)
    )
    return json_response(204, None)


@router.post(
    "/tasks/<task_id>/checklist/<item_id>/task",
    tags=TAGS,
    summary="Turn a checklist item into a task (owner, editor)",
    description="A new task in the same project with the item's text as its title (a text "
    "longer than a title is cut at a word and kept whole as the description), the source "
    "task's priority and labels, done if the item was ticked; the item leaves the "
    "checklist in the same transaction (two requests: the item is read first).",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def convert_item(task_id: str, item_id: str) -> Response[Task]:
    user = caller_id(router)

    def work() -> StoredResponse:
        task = container(router).checklists.convert(user, task_id, item_id)
        return {
            "status": 201,
            "body": task.model_dump(mode="json"),
            "headers": {"ETag": etag(task.version), "Location": f"/tasks/{task.id}"},
        }

    return idempotent(router, work)
