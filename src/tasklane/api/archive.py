"""/projects/{project_id}/archive and /unarchive."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api.http import caller_id, container, json_response

router = Router()
TAGS = ["Projects"]


@router.post(
    "/projects/<project_id>/archive",
    tags=TAGS,
    summary="Archive a project (owner)",
    description="Instead of deleting it: the project becomes read-only (every write into "
    "it answers 409 `project_archived`: its tasks, checklists, comments, attachments, trash, "
    "settings, members and invitations; reads, the trash list and the history stay, and so "
    "do leaving, declining an invitation, deleting and unarchiving it) and "
    "carries `archived_at`, which the web app's sidebar hides. Not the Inbox (409 "
    "`inbox`); 409 `already_archived`. One DynamoDB request.",
    status_code=204,
)
def archive_project(project_id: str) -> Response[None]:
    container(router).archive.archive(caller_id(router), project_id)
    return json_response(204, None)


@router.post(
    "/projects/<project_id>/unarchive",
    tags=TAGS,
    summary="Unarchive a project (owner)",
    description="Writable again, back in the sidebar; 409 `not_archived`. One DynamoDB request.",
    status_code=204,
)
def unarchive_project(project_id: str) -> Response[None]:
    container(router).archive.unarchive(caller_id(router), project_id)
    return json_response(204, None)
