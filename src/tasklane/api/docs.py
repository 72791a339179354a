"""``GET /openapi.json`` and ``GET /docs`` (Swagger UI, assets bundled: works offline).

Powertools' ``enable_swagger`` imports its OpenAPI models when the route is registered,
~40 ms of every cold start for a page few requests ask for. These routes build the same
page with the same Powertools helpers, on the first request that wants it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from tasklane import __version__

TITLE = "Tasklane API"
DESCRIPTION = (
    "Projects and tasks. Authenticate with the Cognito ID token in the `Authorization` "
    'header. Errors have one shape: `{"error": {"code", "message", "details"}}`. '
    "POSTs accept an `Idempotency-Key` header; reads return an `ETag` that `If-Match` "
    "turns into a precondition for PATCH and DELETE."
)
# A plain mapping, validated into Powertools' OpenAPI models when the schema is built.
SECURITY_SCHEMES = {
    "cognito": {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "description": "The ID token from Amazon Cognito (no `Bearer` prefix needed).",
    }
}


def register(app: APIGatewayRestResolver) -> None:
    @cache
    def schema() -> str:
        return app.get_openapi_json_schema(
            title=TITLE,
            version=__version__,
            description=DESCRIPTION,
            security_schemes=SECURITY_SCHEMES,  # type: ignore[arg-type]
            security=[{"cognito": []}],
        )

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json() -> Response[Any]:
        return Response(status_code=200, content_type="application/json", body=schema())

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> Response[Any]:
        from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html

        assets = files("aws_lambda_powertools.event_handler.openapi.swagger_ui")
        html = generate_swagger_html(
            schema().replace("</", "<\\/"),  # keep the spec from closing the <script> tag
            (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
            (assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
            swagger_base_url="",  # empty: inline the bundled assets
            oauth2_config=None,
            persist_authorization=False,
        )
        return Response(status_code=200, content_type="text/html", body=html)
