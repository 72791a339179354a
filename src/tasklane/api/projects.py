"""/projects"""

from __future__ import annotations

from typing import Annotated, Any

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
from tasklane.domain.models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Project,
    ProjectCreate,
    ProjectPage,
    ProjectPatch,
)
from tasklane.observability import logger, metrics

router = Router()
TAGS = ["Projects"]
ProjectId = Annotated[str, "a project id, or `inbox` for your Inbox"]


def _with_etag(project: Project, status: int = 200) -> Response[Any]:
    return json_response(status, project, {"ETag": etag(project.version)})


@router.post(
    "/projects",
    tags=TAGS,
    summary="Create a project",
    status_code=201,
    openapi_extensions=reads_headers(IDEMPOTENCY_KEY),
)
def create_project(body: ProjectCreate) -> Response[Project]:
    user = caller_id(router)
    # The owner's e-mail and name go on their membership, for the member list.
    owner = identity(router).person()

    def work() -> StoredResponse:
        project = container(router).projects.create(user, body, owner)
        metrics.add_metric(name="ProjectsCreated", unit=MetricUnit.Count, value=1)
        logger.info("project created", extra={"project_id": project.id})
        return {
            "status": 201,
            "body": project.model_dump(mode="json"),
            "headers": {"ETag": etag(project.version), "Location": f"/projects/{project.id}"},
        }

    return idempotent(router, work)


@router.get("/projects", tags=TAGS, summary="List your projects, Inbox first")
def list_projects(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ProjectPage:
    listing = container(router).projects.list(caller_id(router), limit, cursor)
    return ProjectPage(items=list(listing.items), next_cursor=listing.next_cursor)


@router.get("/projects/<project_id>", tags=TAGS, summary="Read a project")
def get_project(project_id: str) -> Response[Project]:
    return _with_etag(container(router).projects.get(caller_id(router), project_id))


@router.patch(
    "/projects/<project_id>",
    tags=TAGS,
    summary="Change a project (owner only)",
    description="Answers 204 with the new ETag when `If-Match` was sent; "
    "`Prefer: return=representation` answers 200 with the project.",
    responses={200: {"description": "The project"}, 204: {"description": "Changed"}},
    openapi_extensions=reads_headers(IF_MATCH, PREFER),
)
def update_project(project_id: str, body: ProjectPatch) -> Response[Project | None]:
    user = caller_id(router)
    version = container(router).projects.update(user, project_id, body, expected_version(router))
    if wants_representation(router):
        return _with_etag(container(router).projects.get(user, project_id))
    return json_response(204, None, {"ETag": etag(version)} if version else {})


@router.delete(
    "/projects/<project_id>",
    tags=TAGS,
    summary="Delete a project (owner only)",
    description="A project that still has tasks needs `force=true`, which deletes them too. "
    "The Inbox cannot be deleted. The project is gone for every member at once (it answers "
    "404 to all of them, everywhere); its tasks, comments, attachments and other items are "
    "purged in the background. Repeating the delete while that purge runs answers 204 "
    "again (to the owner; anyone else gets 404).",
    status_code=204,
    openapi_extensions=reads_headers(IF_MATCH),
)
def delete_project(project_id: str, force: Annotated[bool, Query()] = False) -> Response[None]:
    container(router).projects.delete(
        caller_id(router), project_id, expected_version(router), force
    )
    return json_response(204, None)
