"""/invitations (the invitee's) and /projects/{project_id}/invitations (the owner's)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from tasklane.api.http import caller_id, container, identity, json_response
from tasklane.domain.invitations import Invitation, InvitationPage
from tasklane.domain.models import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tasklane.observability import logger, metrics

router = Router()
TAGS = ["Invitations"]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=2048)]


@router.get(
    "/invitations",
    tags=TAGS,
    summary="Your pending invitations",
    description="The unexpired invitations to your verified e-mail address, newest first "
    "(none while your address is not verified). One PostgreSQL read (your profile) and one "
    "DynamoDB Query.",
)
def my_invitations(limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None) -> InvitationPage:
    listing = container(router).invitations.mine(identity(router), limit, cursor)
    return InvitationPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.post(
    "/invitations/<invitation_id>/accept",
    tags=TAGS,
    summary="Accept an invitation",
    description="Makes you a member of the project with the invitation's role, and closes "
    "the invitation, at once. 404 unless it is pending, unexpired and addressed to your "
    "verified e-mail address; 409 `conflict` if you are a member already, 409 "
    "`limit_reached` if the project has its maximum of members.",
)
def accept_invitation(invitation_id: str) -> Invitation:
    accepted = container(router).invitations.accept(identity(router), invitation_id)
    metrics.add_metric(name="InvitationsAccepted", unit=MetricUnit.Count, value=1)
    logger.info("invitation accepted", extra={"invitation_id": invitation_id})
    return accepted


@router.post(
    "/invitations/<invitation_id>/decline",
    tags=TAGS,
    summary="Decline an invitation",
    description="404 unless it is pending, unexpired and addressed to your verified address.",
    status_code=204,
)
def decline_invitation(invitation_id: str) -> Response[Any]:
    container(router).invitations.decline(identity(router), invitation_id)
    return json_response(204, None)


@router.get(
    "/projects/<project_id>/invitations",
    tags=TAGS,
    summary="A project's pending invitations (owner only)",
    description="Oldest first. Expired ones are listed until DynamoDB's TTL removes them "
    "(within a day or two); their `expires_at` says so.",
)
def project_invitations(
    project_id: str, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None
) -> InvitationPage:
    listing = container(router).invitations.pending(caller_id(router), project_id, limit, cursor)
    return InvitationPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.delete(
    "/projects/<project_id>/invitations/<invitation_id>",
    tags=TAGS,
    summary="Revoke an invitation (owner only)",
    description="404 unless the invitation is pending in this project.",
    status_code=204,
)
def revoke_invitation(project_id: str, invitation_id: str) -> Response[Any]:
    container(router).invitations.revoke(caller_id(router), project_id, invitation_id)
    metrics.add_metric(name="InvitationsRevoked", unit=MetricUnit.Count, value=1)
    return json_response(204, None)
