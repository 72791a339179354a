"""/projects/{project_id}/members: sharing a project."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, identity, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Member,
    MemberCreate,
    MemberPage,
    MemberPatch,
)
from tasklane.observability import logger, metrics

router = Router()
TAGS = ["Members"]


@router.get(
    "/projects/<project_id>/members",
    tags=TAGS,
    summary="List a project's members (any member)",
    description="The owner first, then the others. Two or three DynamoDB requests a page.",
)
def list_members(
    project_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> MemberPage:
    listing = container(router).members.list(caller_id(router), project_id, limit, cursor)
    return MemberPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.post(
    "/projects/<project_id>/members",
    tags=TAGS,
    summary="Share a project (owner only)",
    description="Adds the user with this e-mail address (compared case-insensitively) as an "
    "editor or viewer. The user must have signed in to Tasklane once: an unknown address is "
    "404 `user_not_found`. Already a member: 409; the Inbox cannot be shared: 409.",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def add_member(project_id: str, body: MemberCreate) -> Response[Member]:
    caller = identity(router)

    def work() -> StoredResponse:
        member = container(router).members.add(caller, project_id, body)
        metrics.add_metric(name="MembersAdded", unit=MetricUnit.Count, value=1)
        logger.info("member added", extra={"project_id": project_id, "role": member.role})
        return {
            "status": 201,
            "body": member.model_dump(mode="json"),
            "headers": {"Location": f"/projects/{project_id}/members/{member.user_id}"},
        }

    return idempotent(router, work)


@router.patch(
    "/projects/<project_id>/members/<user_id>",
    tags=TAGS,
    summary="Change a member's role (owner only)",
    description="The owner's own membership cannot change (409).",
)
def change_member(project_id: str, user_id: str, body: MemberPatch) -> Member:
    return container(router).members.change_role(caller_id(router), project_id, user_id, body)


@router.delete(
    "/projects/<project_id>/members/<user_id>",
    tags=TAGS,
    summary="Remove a member, or leave",
    description="The owner removes anyone else; any member removes themself (leaves). The "
    "owner cannot leave (409). The member's assignments in the project are cleared shortly "
    "after.",
    status_code=204,
)
def remove_member(project_id: str, user_id: str) -> Response[Any]:
    container(router).members.remove(caller_id(router), project_id, user_id)
    metrics.add_metric(name="MembersRemoved", unit=MetricUnit.Count, value=1)
    return json_response(204, None)
