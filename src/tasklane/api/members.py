"""/projects/{project_id}/members: sharing a project."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, identity, json_response, reads_headers
from tasklane.api.idempotency import IDEMPOTENCY_KEY, StoredResponse, idempotent
from tasklane.domain.invitations import Invitation
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
    summary="Invite someone to a project (owner only)",
    description="Invites this e-mail address as an editor or viewer: answers 202 with the "
    "invitation, the same whether or not the address has an account. The invitee gets an "
    "e-mail and finds the invitation in `GET /invitations` once signed in with that address, "
    "verified; only their acceptance makes them a member. The invitation expires after 14 "
    "days (a setting). Limits: pending invitations per owner (409 `limit_reached`), "
    "invitations per day (429 `rate_limited` with `Retry-After`). The Inbox cannot be "
    "shared: 409.",
    status_code=202,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def invite_member(project_id: str, body: MemberCreate) -> Response[Invitation]:
    caller = identity(router)

    def work() -> StoredResponse:
        invitation = container(router).invitations.invite(caller, project_id, body)
        metrics.add_metric(name="InvitationsSent", unit=MetricUnit.Count, value=1)
        logger.info("invitation created", extra={"invitation_id": invitation.id})
        return {
            "status": 202,
            "body": invitation.model_dump(mode="json"),
            "headers": {
                "Location": f"/projects/{invitation.project_id}/invitations/{invitation.id}"
            },
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
