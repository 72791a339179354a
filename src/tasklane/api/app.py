"""The REST resolver: routers, CORS, errors and the OpenAPI description.

A route area (a router module with its pydantic models) is imported and included into the
resolver on the first request that needs it (:class:`Areas`), so a cold start pays for the
area its first request is in (``GET /health``: the meta routes), not for all of them.
Powertools matches a request against the routes included when it arrives, and including a
router after earlier requests is what ``include_router`` does for any router. The OpenAPI
document and Swagger UI get every area (its paths sorted, so the document is the same
whatever came first).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api import docs, errors
from tasklane.settings import Settings

#: Every router module (tasklane.api.<name>), in the order the full resolver includes them
#: (the order of the OpenAPI document's paths).
ROUTERS = (
    "meta",
    "projects",
    "tasks",
    "recurrence",
    "checklists",
    "trash",
    "activity",
    "archive",
    "attachments",
    "members",
    "invitations",
    "comments",
    "me",
    "search",
    "notifications",
    "exports",
    "imports",
    "calendar",
    "webhooks",
)
#: Paths that need every route: the OpenAPI document describes them all.
DOCUMENT_PATHS = frozenset({"/openapi.json", "/docs"})
#: Route areas by the first segment of a request's path: the router modules holding every
#: route under it. tests/unit/api/test_app.py checks that each route's path leads to its
#: module; a path under none of them has no route (404) without importing any.
AREAS: Mapping[str, tuple[str, ...]] = {
    "health": ("meta",),
    "config": ("meta",),
    "me": ("me", "calendar"),
    "projects": (
        "projects",
        "tasks",
        "members",
        "webhooks",
        "invitations",
        "trash",
        "activity",
        "archive",
    ),
    "invitations": ("invitations",),
    "tasks": ("tasks", "attachments", "comments", "recurrence", "checklists", "trash", "activity"),
    "recurrence": ("recurrence",),
    "notifications": ("notifications",),
    "search": ("search",),
    "stats": ("search",),
    "exports": ("exports",),
    "imports": ("imports",),
    # The public calendar feeds (their URL's secret is the credential).
    "calendar": ("calendar",),
}


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


def create_app(settings: Settings, routers: Iterable[str] = ROUTERS) -> APIGatewayRestResolver:
    """The resolver with the given router modules included (all of them by default; the
    api handler starts with none and lets :class:`Areas` add them)."""
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))
    errors.register(app)
    docs.register(app, settings)
    for name in routers:
        app.include_router(router(name))
    return app


def router(name: str) -> Router:
    """The router of ``tasklane.api.<name>``, imported now. Import statements, not
    importlib: the api function's bundle holds the modules its handler's import statements
    name (infra/import_trace.py)."""
    match name:
        case "meta":
            from tasklane.api import meta

            return meta.router
        case "projects":
            from tasklane.api import projects

            return projects.router
        case "tasks":
            from tasklane.api import tasks

            return tasks.router
        case "recurrence":
            from tasklane.api import recurrence

            return recurrence.router
        case "checklists":
            from tasklane.api import checklists

            return checklists.router
        case "trash":
            from tasklane.api import trash

            return trash.router
        case "activity":
            from tasklane.api import activity

            return activity.router
        case "archive":
            from tasklane.api import archive

            return archive.router
        case "attachments":
            from tasklane.api import attachments

            return attachments.router
        case "members":
            from tasklane.api import members

            return members.router
        case "invitations":
            from tasklane.api import invitations

            return invitations.router
        case "comments":
            from tasklane.api import comments

            return comments.router
        case "me":
            from tasklane.api import me

            return me.router
        case "search":
            from tasklane.api import search

            return search.router
        case "notifications":
            from tasklane.api import notifications

            return notifications.router
        case "exports":
            from tasklane.api import exports

            return exports.router
        case "imports":
            from tasklane.api import imports

            return imports.router
        case "calendar":
            from tasklane.api import calendar

            return calendar.router
        case "webhooks":
            from tasklane.api import webhooks

            return webhooks.router
    raise KeyError(f"no router module tasklane.api.{name}")


class Areas:
    """Includes into ``app`` the route areas each request needs, each once."""

    def __init__(self, app: APIGatewayRestResolver) -> None:
        self.app = app
        self.included: set[str] = set()
        # The local gateway may call the handler from several threads at once.
        self._lock = threading.Lock()

    def prepare(self, event: Mapping[str, Any]) -> None:
        names = self.needed(str(event.get("path") or "/"), str(event.get("httpMethod") or ""))
        if self.included.issuperset(names):
            return
        with self._lock:
            for name in names:
                if name not in self.included:
                    self.app.include_router(router(name))
                    self.included.add(name)

    @staticmethod
    def needed(path: str, method: str) -> tuple[str, ...]:
        # A preflight's Access-Control-Allow-Methods lists the methods of every route the
        # resolver holds, so it gets them all, as it did when every router came at import.
        if path in DOCUMENT_PATHS or method.upper() == "OPTIONS":
            return ROUTERS
        return AREAS.get(path.strip("/").split("/", 1)[0], ())
