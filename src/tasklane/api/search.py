"""/search and /stats: queries the PostgreSQL projection answers."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from tasklane.api.http import container, identity
from tasklane.domain.models import (
    DEFAULT_PAGE_SIZE,
    LABEL_FILTER,
    MAX_LABEL,
    MAX_PAGE_SIZE,
    Instant,
    Priority,
)
from tasklane.domain.models import Status as TaskStatus
from tasklane.domain.search import MAX_QUERY, SearchPage, SearchQuery, Stats

router = Router()
TAGS = ["Search"]


@router.get(
    "/search",
    tags=TAGS,
    summary="Search your tasks",
    description="Full-text search over title (weighted most), labels and description of the "
    "tasks in your projects, best match first. `q` takes web-search syntax: "
    '`"exact phrase"`, `or`, `-exclude`; the last word also matches as a prefix. Filters '
    "as on the task list. Results follow the projection of the table, usually within a "
    "second of a change. Highlights are HTML-escaped with matches in `<mark>`.",
)
def search(
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY * 4)],
    project_id: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[TaskStatus | None, Query()] = None,
    priority: Annotated[Priority | None, Query()] = None,
    label: Annotated[str | None, Query(max_length=MAX_LABEL * 4, **LABEL_FILTER)] = None,
    due_before: Annotated[Instant | None, Query()] = None,
    due_after: Annotated[Instant | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> SearchPage:
    query = SearchQuery(
        q=q,
        project_id=project_id,
        status=status,
        priority=priority,
        label=label,
        due_before=due_before,
        due_after=due_after,
        limit=limit,
    )
    return container(router).search.search(identity(router), query, cursor)


@router.get(
    "/stats",
    tags=TAGS,
    summary="Task counts",
    description="Counts by status and priority, overdue, due today and due this week (in "
    "your profile's time zone), per project and in total, over your projects.",
)
def stats() -> Stats:
    return container(router).stats.stats(identity(router))
