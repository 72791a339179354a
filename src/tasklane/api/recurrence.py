"""/tasks/{task_id}/recurrence: complete or skip an occurrence, stop repeating; and a rule's
preview."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import (
    IF_MATCH,
    PREFER,
    caller_id,
    container,
    etag,
    expected_version,
    json_response,
    reads_headers,
    wants_representation,
)
from tasklane.domain import patterns
from tasklane.domain.models import Instant, Task
from tasklane.domain.recurrence import MAX_RULE_CHARS, RULE_DESCRIPTION, RULE_EXAMPLE
from tasklane.domain.recurrence_words import RecurrencePreview, preview_rule
from tasklane.domain.zones import TimeZone

router = Router()
TAGS = ["Recurring tasks"]


@router.post(
    "/tasks/<task_id>/recurrence/skip",
    tags=TAGS,
    summary="Skip this occurrence (owner, editor)",
    description="Moves the task to the series' next occurrence (its due date and occurrence "
    "number) without completing it. 409 `series_ended` on the series' last occurrence "
    "(COUNT or UNTIL), `not_recurring` for a task that does not repeat.",
)
def skip_occurrence(task_id: str) -> Response[Task]:
    task = container(router).recurrence.skip(caller_id(router), task_id)
    return json_response(200, task, {"ETag": etag(task.version)})


@router.post(
    "/tasks/<task_id>/recurrence/complete",
    tags=TAGS,
    summary="Complete this occurrence (owner, editor)",
    description="Completes the task as `PATCH` with `status: done` does, and for a recurring "
    "task reveals its next occurrence (prepared ahead from the task as it is) in the same "
    "transaction: one DynamoDB request. When the task changed a moment ago and its next "
    "occurrence is not prepared from that change yet, or the task does not repeat, two. "
    "Completing it again, or after undoing a completion, creates no other occurrence. "
    "Answers 204 (with the new ETag when `If-Match` was sent); `Prefer: "
    "return=representation` answers 200 with the task, for one more read.",
    responses={200: {"description": "The task"}, 204: {"description": "Completed"}},
    openapi_extensions=reads_headers(IF_MATCH, PREFER),
)
def complete_occurrence(task_id: str) -> Response[Task | None]:
    user = caller_id(router)
    version = container(router).tasks.complete(user, task_id, expected_version(router))
    if wants_representation(router):
        task = container(router).tasks.get(user, task_id)
        return json_response(200, task, {"ETag": etag(task.version)})
    return json_response(204, None, {"ETag": etag(version)} if version is not None else None)


@router.delete(
    "/tasks/<task_id>/recurrence",
    tags=TAGS,
    summary="Stop repeating (owner, editor)",
    description="The task stays as it is, without its rule. One DynamoDB request; `If-Match` "
    "applies as for any change of the task.",
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def stop_repeating(task_id: str) -> Response[None]:
    container(router).recurrence.stop(caller_id(router), task_id, expected_version(router))
    return json_response(204, None)


@router.get(
    "/recurrence/preview",
    tags=TAGS,
    summary="Describe a rule and preview its next dates",
    description="What the recurrence picker shows before saving: the rule in plain words "
    "and the next three occurrences after `due_at`, read in `time_zone`. Invalid rules "
    "answer 422 with `details.reason`, as a task write would.",
)
def preview_recurrence(
    rule: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_RULE_CHARS,
            description=RULE_DESCRIPTION,
            examples=[RULE_EXAMPLE],
            # Documented, not enforced here: parse_rule reads more than the canonical form.
            json_schema_extra={"pattern": patterns.rrule()},
        ),
    ],
    due_at: Annotated[Instant, Query()],
    time_zone: Annotated[TimeZone, Query()] = "UTC",
) -> RecurrencePreview:
    caller_id(router)
    return preview_rule(rule, due_at, time_zone)
