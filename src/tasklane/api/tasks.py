"""/projects/{project_id}/tasks and /tasks/{task_id}"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import (
    IF_MATCH,
    PREFER,
    caller_id,
    container,
    etag,
    expected_version,
    identity,
    json_response,
    reads_headers,
    wants_representation,
)
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.board import Moved, TaskMove
from tasklane.domain.models import (
    DEFAULT_PAGE_SIZE,
    LABEL_FILTER,
    MAX_LABEL,
    MAX_PAGE_SIZE,
    Instant,
    Priority,
    SortKey,
    Status,
    Task,
    TaskCreate,
    TaskPage,
    TaskPatch,
    TaskQuery,
)
from tasklane.observability import logger, metrics

router = Router()
TAGS = ["Tasks"]


def _zone_of() -> str:
    """The caller's time zone (their profile's): asked only for a new rule without one."""
    return container(router).profiles.get(identity(router)).time_zone


def _with_etag(task: Task, status: int = 200) -> Response[Any]:
    return json_response(status, task, {"ETag": etag(task.version)})


@router.post(
    "/projects/<project_id>/tasks",
    tags=TAGS,
    summary="Create a task in a project",
    description="With `recurrence` (an RRULE; needs `due_at`) the task repeats: completing "
    "it creates the next occurrence in the same write. Rules more frequent than daily, or "
    "that never repeat after `due_at`, answer 422 with `details.reason`.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_task(project_id: str, body: TaskCreate) -> Response[Task]:
    user = caller_id(router)

    def work() -> StoredResponse:
        task = container(router).tasks.create(user, project_id, body, _zone_of)
        metrics.add_metric(name="TasksCreated", unit=MetricUnit.Count, value=1)
        logger.info("task created", extra={"task_id": task.id})
        return {
            "status": 201,
            "body": task.model_dump(mode="json"),
            "headers": {"ETag": etag(task.version), "Location": f"/tasks/{task.id}"},
        }

    return idempotent(router, work)


@router.get(
    "/projects/<project_id>/tasks",
    tags=TAGS,
    summary="List a project's tasks",
    description="Filters combine with AND. `due_after` is inclusive, `due_before` exclusive; "
    "tasks without a due date sort last in ascending `due` order. A page reads at most "
    "`limit + 1` items, so a filtered page may hold fewer than `limit` items while "
    "`next_cursor` says more follow.\n\n"
    "`sort=position` is the board's order: with `status`, one column by `position` (then "
    "`id`), read by key, so a page is never short while the column goes on; without, the "
    "columns in turn (to do, in progress, done). Read from an index: a change shows within "
    "a moment.",
)
def list_tasks(
    project_id: str,
    status: Annotated[Status | None, Query()] = None,
    priority: Annotated[Priority | None, Query()] = None,
    label: Annotated[str | None, Query(max_length=MAX_LABEL * 4, **LABEL_FILTER)] = None,
    due_before: Annotated[Instant | None, Query()] = None,
    due_after: Annotated[Instant | None, Query()] = None,
    sort: Annotated[SortKey, Query()] = SortKey.created,
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TaskPage:
    query = TaskQuery(
        status=status,
        priority=priority,
        label=label,
        due_before=due_before,
        due_after=due_after,
        sort=sort,
        order=order,
        limit=limit,
    )
    listing = container(router).tasks.list(caller_id(router), project_id, query, cursor)
    return TaskPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.get(
    "/tasks",
    tags=TAGS,
    summary="List the tasks assigned to you",
    description="`assignee=me` (the only value): the tasks assigned to you in every project "
    "you are a member of, due soonest first, tasks without a due date last. One DynamoDB "
    "Query (a secondary index: a change shows within a moment).",
)
def list_assigned_tasks(
    assignee: Annotated[Literal["me"], Query()],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TaskPage:
    listing = container(router).tasks.assigned(caller_id(router), limit, cursor)
    return TaskPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.get("/tasks/<task_id>", tags=TAGS, summary="Read a task")
def get_task(task_id: str) -> Response[Task]:
    return _with_etag(container(router).tasks.get(caller_id(router), task_id))


@router.patch(
    "/tasks/<task_id>",
    tags=TAGS,
    summary="Change a task",
    description="Send only the fields to change; `due_at: null` clears the due date (and "
    "stops a recurring task repeating), `recurrence: null` stops repeating. Completing a "
    "recurring task (`status: done`) creates its next occurrence in the same transaction, "
    "once however often it is completed (two DynamoDB requests: "
    "`POST /tasks/{task_id}/recurrence/complete` takes one). With "
    "`If-Match` the change applies only to that version (else 412). Answers 204 (with the "
    "new ETag when `If-Match` was sent); `Prefer: return=representation` answers 200 with "
    "the task, for one more read.",
    responses={200: {"description": "The task"}, 204: {"description": "Changed"}},
    openapi_extensions=reads_headers(IF_MATCH, PREFER),
)
def update_task(task_id: str, body: TaskPatch) -> Response[Task | None]:
    user = caller_id(router)
    version = container(router).tasks.update(
        user, task_id, body, expected_version(router), _zone_of
    )
    metrics.add_metric(name="TasksUpdated", unit=MetricUnit.Count, value=1)
    if wants_representation(router):
        return _with_etag(container(router).tasks.get(user, task_id))
    return json_response(204, None, {"ETag": etag(version)} if version else {})


@router.post(
    "/tasks/<task_id>/move",
    tags=TAGS,
    summary="Move a task on the board",
    description="Puts the task into the column `status`, between `after` (the task it "
    "goes after) and `before` (the task it goes before); null is that end of the column, "
    "both null the end. Only the moved task's `position` changes. With `If-Match` and each "
    "named neighbour's position as you saw it (`after_position`, `before_position`) this is "
    "one write, which checks that the neighbours are still there: if one moved, 409 "
    "`neighbours_moved` (read the column and try again); if the task changed, 412. Without "
    "them the server reads what it needs first. A move to another column notifies as a "
    "status change does. A recurring task moved to `done` is completed as `PATCH` "
    "completes it: its next occurrence is created in `todo` in the same transaction, once "
    "however often it is moved there (one more write, for that move only); the moved task "
    "keeps the place it was dropped at. A task in the trash answers 404. Answers the "
    "task's new column, position and version (ETag).",
    responses={
        200: {"description": "The task's new column, position and version"},
        409: {"description": "A neighbour moved (`neighbours_moved`)"},
        412: {"description": "The task changed since the version in If-Match"},
    },
    openapi_extensions=reads_headers(IF_MATCH),
)
def move_task(task_id: str, body: TaskMove) -> Response[Moved]:
    moved = container(router).board.move(caller_id(router), task_id, body, expected_version(router))
    metrics.add_metric(name="TasksMoved", unit=MetricUnit.Count, value=1)
    return json_response(200, moved, {"ETag": etag(moved.version)})


@router.delete(
    "/tasks/<task_id>",
    tags=TAGS,
    summary="Delete a task (to the trash)",
    description="Moves the task to its project's trash (one DynamoDB request): it leaves "
    "every list, search, stats, reminders and the board, and `POST /tasks/{task_id}/restore` "
    "brings it back whole until it is purged (after `TASKLANE_TRASH_RETENTION_DAYS`, 30 by "
    "default). `permanent=true` deletes it for good at once, with its comments and "
    "attachments (owner, editor).",
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def delete_task(task_id: str, permanent: Annotated[bool, Query()] = False) -> Response[None]:
    trash = container(router).trash
    if permanent:
        trash.purge(caller_id(router), task_id, expected_version(router))
    else:
        trash.trash(caller_id(router), task_id, expected_version(router))
    metrics.add_metric(name="TasksDeleted", unit=MetricUnit.Count, value=1)
    return json_response(204, None)
