"""The OpenAPI document: what Powertools generates from the routes and models, completed.

Powertools documents each operation from its signature and models: a 200, its own 422
shape, plain strings for path parameters. The API says more than that, and a client
generated from the document (or the contract fuzzer, tests/fuzz) must know it to send valid
requests and expect the right answers. The passes below add it:

- the error responses every operation shares, in the API's one error shape;
- each path parameter's shape (ids are ULIDs; ``inbox`` names your Inbox);
- the request headers a route reads (``reads_headers`` in tasklane.api.http);
- the limits a deployment sets (attachment size and types), from the settings;
- links from each create (and each list) to the operations that take the id it answers,
  and from a few answers to what follows them (a deleted task to its restore);
- every field of an answer as required: the API always sends it (null when it has no value).

Built on the first ``GET /openapi.json`` or ``/docs`` only (tasklane.api.docs): never on a
cold start.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from tasklane import __version__
from tasklane.api.http import HEADERS_EXTENSION
from tasklane.domain.attachments import allowed_types
from tasklane.domain.ids import PROJECT_ID_PATTERN, TASK_ID_PATTERN, ULID_PATTERN
from tasklane.domain.models import MAX_USER_ID
from tasklane.settings import Env, Settings

TITLE = "Tasklane API"
DESCRIPTION = (
    "Projects and tasks. Authenticate with the Cognito ID token in the `Authorization` "
    'header. Errors have one shape: `{"error": {"code", "message", "details"}}`. '
    "The POSTs that create accept an `Idempotency-Key` header; reads return an `ETag` "
    "that `If-Match` turns into a precondition for PATCH and DELETE of projects, tasks and "
    "comments."
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
    "429": "Too many requests: the stage's throttling, or a per-user limit (`Retry-After` "
    "says when to try again where the API knows)",
}
#: The writes into a project besides every write under ``/tasks/{task_id}``: an archived
#: project refuses them with 409 ``project_archived`` (tasklane.domain.trash). Leaving
#: (the same DELETE as removing a member) stays possible; the 409 says "when".
ARCHIVE_REFUSED_PROJECT_WRITES = frozenset(
    {
        ("post", "/projects/{project_id}/tasks"),
        ("patch", "/projects/{project_id}"),
        ("post", "/projects/{project_id}/members"),
        ("patch", "/projects/{project_id}/members/{user_id}"),
        ("delete", "/projects/{project_id}/members/{user_id}"),
        ("delete", "/projects/{project_id}/invitations/{invitation_id}"),
        ("post", "/invitations/{invitation_id}/accept"),
    }
)
ARCHIVED_409 = (
    "; `details.reason` `project_archived` when the project is archived (read-only: "
    "unarchive it first)"
)
_ULID = {"type": "string", "pattern": ULID_PATTERN}
#: Every path parameter, by name: the same name means the same kind of id in every route.
#: An id of another shape is answered like an unknown one (404), so these say which
#: values can name something at all.
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "project_id": {
        "description": "A project's id, or `inbox` for your Inbox.",
        "schema": {"type": "string", "pattern": PROJECT_ID_PATTERN},
    },
    "task_id": {
        "description": "A task's id: its project's id, a dash and a ULID.",
        "schema": {"type": "string", "pattern": TASK_ID_PATTERN},
    },
    "invitation_id": {
        "description": "An invitation's id: its project's id, a dash and a ULID.",
        "schema": {"type": "string", "pattern": TASK_ID_PATTERN},
    },
    "comment_id": {"description": "A comment's id (a ULID).", "schema": _ULID},
    "attachment_id": {"description": "An attachment's id (a ULID).", "schema": _ULID},
    "notification_id": {"description": "A notification's id (a ULID).", "schema": _ULID},
    "export_id": {"description": "An export's id (a ULID).", "schema": _ULID},
    "import_id": {"description": "An import's id (a ULID).", "schema": _ULID},
    "webhook_id": {"description": "A webhook's id (a ULID).", "schema": _ULID},
    "token": {
        "description": "The calendar feed's secret, as in its URL (`tlcal_….ics`).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    },
    "item_id": {"description": "A checklist item's id (a ULID).", "schema": _ULID},
    "user_id": {
        "description": "A member's user id (their Cognito `sub`).",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_USER_ID},
    },
}


def document(app: APIGatewayRestResolver, settings: Settings) -> dict[str, Any]:
    generated = app.get_openapi_json_schema(
        title=TITLE,
        version=__version__,
        description=DESCRIPTION,
        security_schemes=SECURITY_SCHEMES,  # type: ignore[arg-type]
        security=[{"cognito": []}],
    )
    spec: dict[str, Any] = json.loads(generated)
    # Route areas join the api handler's resolver in the order requests need them
    # (tasklane.api.app.Areas): sorted, the document does not depend on that order.
    spec["paths"] = dict(sorted(spec.get("paths", {}).items()))
    complete_responses(spec)
    declare_parameters(spec)
    state_limits(spec, settings)
    state_quotas(spec, settings)
    add_links(spec)
    add_follow_ups(spec)
    require_answered_fields(spec)
    return spec


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in spec.get("paths", {}).items()
        for method, operation in operations.items()
    ]


def complete_responses(spec: dict[str, Any]) -> None:
    """Make the generated document say what the API answers.

    Powertools documents every operation with a 200 and its own 422 shape. Routes declare
    their success statuses (``status_code=``/``responses=``); this adds the error responses
    every operation shares, in the API's error shape, the gateway's 401 on authenticated
    operations, and drops the body of 204s (there is none). Found by the contract fuzz test
    (tests/fuzz): a client generated from the old document expected a 200 and no errors.
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    # Powertools' own 422 shapes: the API answers its one error shape instead (and a
    # ResponseValidationError left behind would $ref the removed ValidationError).
    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(name, None)
    schemas["Error"] = ERROR_SCHEMA
    schemas["GatewayError"] = GATEWAY_ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    refs = [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/GatewayError"}]
    either = {"application/json": {"schema": {"anyOf": refs}}}
    for path, method, operation in _operations(spec):
        responses: dict[str, Any] = operation.setdefault("responses", {})
        for status, response in responses.items():
            if status == "204":
                response.pop("content", None)
        for status, description in ERROR_RESPONSES.items():
            responses[status] = {"description": description, "content": error}
        # 413 and 429 may come from the gateway (10 MB; throttling) or from the handler.
        responses["413"]["content"] = either
        responses["429"]["content"] = either
        if operation.get("security", spec.get("security")):
            responses["401"] = {"description": "No valid ID token", "content": either}
        if refuses_archived(method, path):
            responses["409"]["description"] += ARCHIVED_409


def refuses_archived(method: str, path: str) -> bool:
    """The operation writes into a project, which refuses it while archived."""
    writes_task = method != "get" and path.startswith("/tasks/{task_id}")
    return writes_task or (method, path) in ARCHIVE_REFUSED_PROJECT_WRITES


def declare_parameters(spec: dict[str, Any]) -> None:
    """Each path parameter's shape (:data:`PATH_PARAMETERS`), and the request headers each
    route reads, from its ``reads_headers`` extension."""
    for path, method, operation in _operations(spec):
        parameters: list[dict[str, Any]] = operation.setdefault("parameters", [])
        for parameter in parameters:
            if parameter.get("in") != "path":
                continue
            shape = PATH_PARAMETERS.get(parameter["name"])
            if shape is None:
                raise ValueError(f"{method.upper()} {path}: no shape for {parameter['name']}")
            title = parameter.get("schema", {}).get("title")
            parameter["description"] = shape["description"]
            parameter["schema"] = {**shape["schema"], **({"title": title} if title else {})}
        parameters.extend(operation.pop(HEADERS_EXTENSION, []))
        if not parameters:
            del operation["parameters"]


def state_limits(spec: dict[str, Any], settings: Settings) -> None:
    """The limits a deployment sets, which the models cannot know: the largest attachment
    (larger is 413) and the media types it accepts (compared case-insensitively, parameters
    such as ``charset`` ignored; others are 422)."""
    limits = settings.attachments
    create = spec["components"]["schemas"]["AttachmentCreate"]["properties"]
    create["size"]["maximum"] = limits.max_bytes
    create["content_type"]["enum"] = sorted(allowed_types(limits.allowed_types))
    # An import's file: larger is 413 (the upload form is pinned to the declared size).
    imports = spec["components"]["schemas"]["ImportCreate"]["properties"]
    imports["size"]["maximum"] = settings.exchange.imports.max_bytes


class _Quota(NamedTuple):
    status: str
    #: The limit's name in ``details.limit``, also its field of ``LimitSettings``.
    name: str
    setting: str
    what: str


_TASKS = _Quota(
    "409",
    "tasks_per_project",
    Env.LIMIT_TASKS_PER_PROJECT,
    "live tasks per project (the trash does not count)",
)
#: (method, path) → the per-user quotas the operation counts against (docs/api.md, "Limits").
QUOTAS: dict[tuple[str, str], tuple[_Quota, ...]] = {
    ("post", "/projects"): (
        _Quota(
            "409",
            "projects_per_user",
            Env.LIMIT_PROJECTS_PER_USER,
            "projects per owner (the Inbox does not count)",
        ),
    ),
    ("post", "/projects/{project_id}/tasks"): (_TASKS,),
    ("post", "/tasks/{task_id}/restore"): (_TASKS,),
    ("post", "/tasks/{task_id}/comments"): (
        _Quota("409", "comments_per_task", Env.LIMIT_COMMENTS_PER_TASK, "comments per task"),
    ),
    ("post", "/tasks/{task_id}/attachments"): (
        _Quota(
            "429",
            "attachments_per_day",
            Env.LIMIT_ATTACHMENTS_PER_DAY,
            "upload forms per user per UTC day",
        ),
    ),
    ("post", "/projects/{project_id}/members"): (
        _Quota(
            "409",
            "pending_invitations",
            Env.LIMIT_PENDING_INVITATIONS,
            "pending invitations per owner",
        ),
        _Quota(
            "429",
            "invitations_per_day",
            Env.LIMIT_INVITATIONS_PER_DAY,
            "invitations per owner per UTC day",
        ),
    ),
    ("post", "/invitations/{invitation_id}/accept"): (
        _Quota(
            "409",
            "members_per_project",
            Env.LIMIT_MEMBERS_PER_PROJECT,
            "members per project besides the owner",
        ),
    ),
}


def state_quotas(spec: dict[str, Any], settings: Settings) -> None:
    """Each per-user quota on the operations it refuses, with this deployment's maximum and
    its setting: counts answer 409 ``limit_reached``, rates 429 ``rate_limited`` with
    ``Retry-After``; ``details`` is ``{limit, max}`` either way."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for (method, path), quotas in QUOTAS.items():
        responses = paths[path][method]["responses"]
        for quota in quotas:
            code = "limit_reached" if quota.status == "409" else "rate_limited"
            maximum = getattr(settings.limits, quota.name)
            responses[quota.status]["description"] += (
                f"; `{code}` with `details.limit` `{quota.name}`: at most {maximum} "
                f"{quota.what} (`{quota.setting}`)"
            )


_REF = re.compile(r'"#/components/schemas/([^"]+)"')


def require_answered_fields(spec: dict[str, Any]) -> None:
    """List every property of a schema only answers use as required.

    Pydantic documents a field with a default as optional, which is right for a request
    but not for an answer: the API serialises every field of its models (a missing value as
    null), so a client generated from the document (web/src/lib/api/schema.ts) should not
    have to handle an absent one. A schema a request uses too keeps what pydantic said."""
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})

    def reachable(roots: list[Any]) -> set[str]:
        seen: set[str] = set()
        todo = [name for root in roots for name in _REF.findall(json.dumps(root))]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += _REF.findall(json.dumps(schemas.get(name, {})))
        return seen

    operations = [operation for _path, _method, operation in _operations(spec)]
    sent = reachable([{k: v for k, v in op.items() if k != "responses"} for op in operations])
    answered = reachable([op.get("responses", {}) for op in operations])
    for name in sorted(answered - sent):
        properties = schemas.get(name, {}).get("properties")
        if properties:
            schemas[name]["required"] = list(properties)


def add_links(spec: dict[str, Any]) -> None:
    """OpenAPI links from each create (a 201 with an id) to the operations that take that
    id: ``POST /projects/{project_id}/tasks`` → every ``{task_id}`` operation, its other
    path parameters taken from the create's own request. Resources the API never creates
    (notifications) are linked from their list instead (its first item). They tell a reader
    (and a stateful fuzzer) which responses feed which requests."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for path, operations in paths.items():
        if path.endswith("}"):
            continue
        created = "post" in operations and "201" in operations["post"].get("responses", {})
        for method, status, in_list in (("post", "201", False), ("get", "200", True)):
            response = (operations.get(method) or {}).get("responses", {}).get(status)
            if response is None or (in_list and (created or _created_elsewhere(paths, path))):
                continue
            resource_id = _resource_id(paths, path)
            pointer = _id_pointer(spec, response, resource_id, in_list)
            if pointer is None:
                continue
            links = _links_to(paths, path, resource_id, f"$response.body#{pointer}")
            if links:
                response["links"] = links


#: Operations an answer leads to that no create or list does: (method, path, status) →
#: the operation it leads to, which takes the same path parameters.
FOLLOW_UPS = {
    # A deleted task is in the trash: restoring it brings it back.
    ("delete", "/tasks/{task_id}", "204"): ("post", "/tasks/{task_id}/restore"),
}


def add_follow_ups(spec: dict[str, Any]) -> None:
    """The links :data:`FOLLOW_UPS` names, with the request's own path parameters."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for (method, path, status), (target_method, target) in FOLLOW_UPS.items():
        response = paths[path][method]["responses"][status]
        operation = paths[target][target_method]
        parameters = {name: f"$request.path.{name}" for name in _path_parameters(target)}
        response.setdefault("links", {})[f"{target_method}_{operation['operationId']}"] = {
            "operationId": operation["operationId"],
            "parameters": parameters,
        }


def _created_elsewhere(paths: dict[str, dict[str, Any]], collection: str) -> bool:
    """Whether another collection creates what this one lists (``GET /tasks`` lists tasks
    that ``POST /projects/{project_id}/tasks`` creates)."""
    name = collection.rsplit("/", 1)[-1]
    return any(
        path != collection
        and path.rsplit("/", 1)[-1] == name
        and "201" in (operations.get("post") or {}).get("responses", {})
        for path, operations in paths.items()
    )


def _resource_id(paths: dict[str, dict[str, Any]], collection: str) -> str:
    """The parameter naming one item of ``collection``: the one its item path takes
    (``/projects/{project_id}/members/{user_id}``), else ``<singular>_id``."""
    prefix = f"{collection}/{{"
    for path in paths:
        if path.startswith(prefix):
            return path[len(prefix) :].split("}", 1)[0]
    return f"{collection.rsplit('/', 1)[-1].removesuffix('s')}_id"


def _links_to(
    paths: dict[str, dict[str, Any]], source: str, resource_id: str, value: str
) -> dict[str, Any]:
    given = set(_path_parameters(source))
    if resource_id in given:
        # A new resource of the kind the source path names (a task made from another
        # task's checklist item): the source's other ids belong to the old one.
        given = set()
    links: dict[str, Any] = {}
    for target, target_operations in paths.items():
        needed = _path_parameters(target)
        if resource_id not in needed or not set(needed) <= given | {resource_id}:
            continue
        for method, operation in target_operations.items():
            parameters = {
                name: value if name == resource_id else f"$request.path.{name}" for name in needed
            }
            name = f"{method}_{operation.get('operationId', target)}"
            links[name] = {"operationId": operation["operationId"], "parameters": parameters}
    return links


def _id_pointer(
    spec: dict[str, Any], response: dict[str, Any], resource_id: str, in_list: bool
) -> str | None:
    """Where the resource's id is in the response: ``/id`` (or ``/<resource_id>`` when the
    resource has no ``id`` of its own, as a member), ``/<name>/id`` when it is wrapped (an
    attachment with its upload form), under ``/items/0`` in a list."""
    schemas = spec.get("components", {}).get("schemas", {})

    def properties(schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        resolved = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
        found: dict[str, Any] = resolved.get("properties", {})
        return found

    body = response.get("content", {}).get("application/json", {}).get("schema", {})
    top = properties(body)
    prefix = ""
    if in_list:
        if top.get("items", {}).get("type") != "array":
            return None
        top, prefix = properties(top["items"]["items"]), "/items/0"
    for key in ("id", resource_id):
        if key in top:
            return f"{prefix}/{key}"
    for name, schema in top.items():
        if "id" in properties(schema):
            return f"{prefix}/{name}/id"
    return None


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
