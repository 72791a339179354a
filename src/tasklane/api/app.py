"""The REST resolver: routers, CORS, errors and the OpenAPI description."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn

from tasklane import __version__
from tasklane.api import errors, meta, projects, tasks
from tasklane.settings import Settings

TITLE = "Tasklane API"
DESCRIPTION = (
    "Projects and tasks. Authenticate with the Cognito ID token in the `Authorization` "
    'header. Errors have one shape: `{"error": {"code", "message", "details"}}`. '
    "POSTs accept an `Idempotency-Key` header; reads return an `ETag` that `If-Match` "
    "turns into a precondition for PATCH and DELETE."
)
SECURITY_SCHEMES = {
    "cognito": APIKey(
        name="Authorization",
        in_=APIKeyIn.header,
        description="The ID token from Amazon Cognito (no `Bearer` prefix needed).",
    )
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


def create_app(settings: Settings) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))
    app.include_router(meta.router)
    app.include_router(projects.router)
    app.include_router(tasks.router)
    errors.register(app)

    openapi = {
        "title": TITLE,
        "version": __version__,
        "description": DESCRIPTION,
        "security_schemes": SECURITY_SCHEMES,
        "security": [{"cognito": []}],
    }
    app.enable_swagger(path="/docs", **openapi)  # type: ignore[arg-type]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json() -> Response[Any]:
        schema = app.get_openapi_json_schema(**openapi)  # type: ignore[arg-type]
        return Response(status_code=200, content_type="application/json", body=schema)

    return app
