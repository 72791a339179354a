"""``GET /openapi.json`` and ``GET /docs`` (Swagger UI, assets bundled: works offline).

Powertools' ``enable_swagger`` imports its OpenAPI models when the route is registered,
~40 ms of every cold start for a page few requests ask for. These routes build the same
page with the same Powertools helpers, and the document (tasklane.api.openapi), on the
first request that wants it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from tasklane.settings import Settings


def register(app: APIGatewayRestResolver, settings: Settings) -> None:
    @cache
    def schema() -> str:
        from tasklane.api.openapi import document

        return json.dumps(document(app, settings), indent=2)

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
