"""The REST resolver: routers, CORS, errors and the OpenAPI description."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig

from tasklane.api import (
    activity,
    archive,
    attachments,
    checklists,
    comments,
    docs,
    errors,
    me,
    members,
    meta,
    notifications,
    projects,
    recurrence,
    search,
    tasks,
    trash,
)
from tasklane.settings import Settings


def cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    first, *rest = settings.cors_origins
    return CORSConfig(
        allow_origin=first,
        extra_origins=rest,
        allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "Prefer"],
        expose_headers=["ETag", "Location", "Idempotent-Replayed"],
        max_age=600,
    )


def create_app(settings: Settings) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))
    app.include_router(meta.router)
    app.include_router(projects.router)
    app.include_router(tasks.router)
    app.include_router(recurrence.router)
    app.include_router(checklists.router)
    app.include_router(trash.router)
    app.include_router(activity.router)
    app.include_router(archive.router)
    app.include_router(attachments.router)
    app.include_router(members.router)
    app.include_router(comments.router)
    app.include_router(me.router)
    app.include_router(search.router)
    app.include_router(notifications.router)
    errors.register(app)

    docs.register(app, settings)
    return app
