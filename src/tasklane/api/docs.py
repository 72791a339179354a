"""``GET /openapi.json`` and ``GET /docs`` (Swagger UI, assets bundled: works offline).

Powertools' ``enable_swagger`` imports its OpenAPI models when the route is registered,
~40 ms of every cold start for a page few requests ask for. These routes build the same
page with the same Powertools helpers, on the first request that wants it.
"""

from __future__ import annotations

import json
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


#: Every error the API answers has this shape (tasklane.api.errors).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {},
            },
        }
    },
}
#: API Gateway's own answers (its authorizer, its payload limit) are not ours: `{"message"}`.
GATEWAY_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "GatewayError",
    "required": ["message"],
    "properties": {"message": {"type": "string"}},
}
#: What any operation may answer besides its success (tasklane.domain.errors, api.guards).
ERROR_RESPONSES = {
    "400": "Malformed request (e.g. a body that is not JSON, a bad cursor)",
    "403": "A member without the role this needs",
    "404": "No such resource, or not visible to the caller",
    "409": "Conflicts with the current state",
    "412": "`If-Match` names another version",
    "413": "Request body too large",
    "415": "Body not sent as `application/json`",
    "422": "Request not valid",
}


def complete_responses(spec: dict[str, Any]) -> dict[str, Any]:
    """Make the generated document say what the API answers.

    Powertools documents every operation with a 200 and its own 422 shape. Routes declare
    their success statuses (``status_code=``/``responses=``); this adds the error responses
    every operation shares, in the API's error shape, the gateway's 401 on authenticated
    operations, and drops the body of 204s (there is none). Found by the contract fuzz test
    (tests/fuzz): a client generated from the old document expected a 200 and no errors.
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    schemas["GatewayError"] = GATEWAY_ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    refs = [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/GatewayError"}]
    either = {"application/json": {"schema": {"anyOf": refs}}}
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status == "204":
                    response.pop("content", None)
            for status, description in ERROR_RESPONSES.items():
                responses[status] = {"description": description, "content": error}
            # 413 may come from the gateway (10 MB) or from the handler's own limit.
            responses["413"]["content"] = either
            if operation.get("security", spec.get("security")):
                responses["401"] = {"description": "No valid ID token", "content": either}
    add_links(spec)
    return spec


def add_links(spec: dict[str, Any]) -> None:
    """OpenAPI links from each create (a 201 with an ``id``) to the operations that take that
    id: ``POST /projects/{project_id}/tasks`` → every ``{task_id}`` operation, its other path
    parameters taken from the create's own request. They tell a reader (and a stateful
    fuzzer) which responses feed which requests."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for path, operations in paths.items():
        create = operations.get("post")
        created = (create or {}).get("responses", {}).get("201")
        if created is None or path.endswith("}"):
            continue
        resource_id = f"{path.rsplit('/', 1)[-1].removesuffix('s')}_id"
        pointer = _id_pointer(spec, created)
        if pointer is None:
            continue
        given = set(_path_parameters(path))
        links: dict[str, Any] = {}
        for target, target_operations in paths.items():
            needed = _path_parameters(target)
            if resource_id not in needed or not set(needed) <= given | {resource_id}:
                continue
            for method, operation in target_operations.items():
                parameters = {
                    name: f"$response.body#{pointer}"
                    if name == resource_id
                    else f"$request.path.{name}"
                    for name in needed
                }
                name = f"{method}_{operation.get('operationId', target)}"
                links[name] = {"operationId": operation["operationId"], "parameters": parameters}
        if links:
            created["links"] = links


def _id_pointer(spec: dict[str, Any], response: dict[str, Any]) -> str | None:
    """Where the created resource's id is in the response: ``/id``, or ``/<name>/id`` when
    the resource is wrapped (an attachment with its upload form)."""
    schemas = spec.get("components", {}).get("schemas", {})

    def properties(schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        resolved = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
        found: dict[str, Any] = resolved.get("properties", {})
        return found

    body = response.get("content", {}).get("application/json", {}).get("schema", {})
    top = properties(body)
    if "id" in top:
        return "/id"
    for name, schema in top.items():
        if "id" in properties(schema):
            return f"/{name}/id"
    return None


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def register(app: APIGatewayRestResolver) -> None:
    @cache
    def schema() -> str:
        generated = app.get_openapi_json_schema(
            title=TITLE,
            version=__version__,
            description=DESCRIPTION,
            security_schemes=SECURITY_SCHEMES,  # type: ignore[arg-type]
            security=[{"cognito": []}],
        )
        return json.dumps(complete_responses(json.loads(generated)), indent=2)

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
