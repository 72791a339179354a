"""The OpenAPI document accepts what the API accepts, and refuses what it refuses.

Each rule the input models enforce in Python (trimming, one line, no control characters,
RFC 3339 with an offset, ...) is stated in the served document as JSON Schema (patterns in
tasklane.domain.patterns, whose building blocks tests/unit/domain/test_patterns.py checks).
Here both judge the same generated values: the document's schema through jsonschema-rs (the
validator the contract fuzzer uses, ECMA-262 patterns, formats asserted) and the model
itself. Values are drawn from the pattern, from an alphabet of the
characters the rules are about, and from the pattern's values with one of those inserted.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tasklane.api.app import create_app
from tasklane.api.http import IF_MATCH
from tasklane.api.idempotency import IDEMPOTENCY_KEY
from tasklane.api.openapi import ARCHIVE_REFUSED_PROJECT_WRITES, PATH_PARAMETERS, document
from tasklane.domain import patterns
from tasklane.domain.attachments import CONTENT_TYPES, Attachment
from tasklane.domain.models import (
    CommentCreate,
    MemberCreate,
    ProjectCreate,
    ProjectPatch,
    Task,
    TaskCreate,
    TaskPatch,
    normalise_label,
)
from tasklane.domain.notifications import Notification
from tasklane.domain.profiles import NotificationPreferences, ProfilePatch
from tasklane.settings import Settings

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: The characters the rules are about, and a few they are not.
SPECIAL = sorted(
    patterns.WHITESPACE | patterns.CONTROLS | patterns.LINE_SEPARATORS | {ord(c) for c in "@ "}
)
ORDINARY = 'aZ09.-_"*éß\ufb01\u3164\U0001f600'
#: The defaults: what a deployment that sets nothing documents.
SETTINGS = Settings()
#: A task as the API answers it, its defaulted fields left to their defaults.
TASK: dict[str, Any] = {
    "id": "01J0000000000000000000000A-01J0000000000000000000000B",
    "project_id": "01J0000000000000000000000A",
    "title": "Write the report",
    "description": "",
    "status": "todo",
    "priority": "medium",
    "due_at": None,
    "labels": [],
    "created_at": "2026-12-04T17:00:00Z",
    "updated_at": "2026-12-04T17:00:00Z",
    "completed_at": None,
    "created_by": "user-1",
    "version": 1,
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document(create_app(SETTINGS), SETTINGS)


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(
        {**schema, "components": spec["components"]}, validate_formats=True
    )


def _body(spec: dict[str, Any], name: str) -> jsonschema_rs.Validator:
    return _validator(spec, {"$ref": f"#/components/schemas/{name}"})


def _accepts(model: type[BaseModel], body: dict[str, Any]) -> bool:
    try:
        parsed = model.model_validate(body)
        changes = getattr(parsed, "changes", None)
        if changes is not None:
            changed = changes()
            # A task or project patch must change something (the use cases refuse {}).
            return bool(changed) or isinstance(parsed, ProfilePatch)
    except (ValidationError, ValueError):
        return False
    return True


def _text(pattern: str, max_size: int = 60) -> st.SearchStrategy[str]:
    special = st.sampled_from([chr(c) for c in SPECIAL])
    characters = st.one_of(
        special, st.sampled_from(ORDINARY), st.characters(exclude_categories=["Cs"])
    )
    matching = st.from_regex(pattern, fullmatch=True)

    @st.composite
    def with_one_more(draw: st.DrawFn) -> str:
        value = draw(matching)
        at = draw(st.integers(0, len(value)))
        return value[:at] + draw(special) + value[at:]

    return st.one_of(matching, with_one_more(), st.text(characters, max_size=max_size))


def _padded(length: int) -> st.SearchStrategy[str]:
    """``length`` letters with whitespace around: the trimmed-length boundaries."""
    pad = st.text(st.sampled_from([chr(c) for c in sorted(patterns.WHITESPACE)]), max_size=3)
    return st.tuples(pad, pad).map(lambda p: p[0] + "x" * length + p[1])


# Each field: the document and the model agree --------------------------------------------
#: (schema, field, model, the rest of a valid body, the field's length limit)
FIELDS: list[tuple[str, str, type[BaseModel], dict[str, Any], int]] = [
    ("TaskCreate", "title", TaskCreate, {}, 200),
    ("TaskCreate", "description", TaskCreate, {"title": "t"}, 60),
    ("TaskCreate", "assignee_id", TaskCreate, {"title": "t"}, 128),
    ("TaskPatch", "title", TaskPatch, {}, 200),
    ("ProjectCreate", "name", ProjectCreate, {}, 100),
    ("ProjectPatch", "description", ProjectPatch, {}, 60),
    ("CommentCreate", "body", CommentCreate, {}, 60),
    ("MemberCreate", "email", MemberCreate, {"role": "viewer"}, 320),
    ("ProfilePatch", "display_name", ProfilePatch, {}, 100),
]


@pytest.mark.parametrize(("name", "field", "model", "rest", "limit"), FIELDS)
def test_each_text_field_is_documented_exactly(
    spec: dict[str, Any],
    name: str,
    field: str,
    model: type[BaseModel],
    rest: dict[str, Any],
    limit: int,
) -> None:
    schema = _body(spec, name)
    documented = spec["components"]["schemas"][name]["properties"][field]
    pattern = documented.get("pattern") or documented["anyOf"][0]["pattern"]

    @EXAMPLES
    @given(st.one_of(_text(pattern), _padded(limit), _padded(limit + 1)))
    def agree(value: str) -> None:
        body = {**rest, field: value}
        assert schema.is_valid(body) == _accepts(model, body), repr(value)

    agree()


def test_labels_as_sent_are_documented(spec: dict[str, Any]) -> None:
    """The document states the rule on a label as sent; the model also counts it once
    normalised, which NFKC and case folding may lengthen ("ß" → "ss"): only then may the
    document accept a label the model refuses."""
    schema = _body(spec, "TaskCreate")
    pattern = spec["components"]["schemas"]["TaskCreate"]["properties"]["labels"]["items"]
    grows = st.text(st.sampled_from("ßﬁ\ufdfa"), min_size=20, max_size=50)

    @EXAMPLES
    @given(st.one_of(_text(pattern["pattern"]), _padded(50), _padded(51), grows))
    def agree(value: str) -> None:
        body = {"title": "t", "labels": [value]}
        documented, accepted = schema.is_valid(body), _accepts(TaskCreate, body)
        if len(normalise_label(value)) <= len(value.strip()):
            assert documented == accepted, repr(value)
        else:
            assert accepted <= documented, repr(value)

    agree()


def test_instants_are_documented_exactly(spec: dict[str, Any]) -> None:
    schema = _body(spec, "TaskCreate")
    written = st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
    variants = st.sampled_from(
        [
            "2026-12-01T17:00:00+01:00",
            "2026-12-01t17:00:00.123456789z",
            "2026-12-01 17:00:00Z",
            "2026-12-01T17:00Z",
            "2026-12-01T17:00:00",
            "2026-12-01T17:00:00.1234567890Z",
            "2026-02-29T10:00:00Z",
            "2024-02-29T10:00:00Z",
            "2026-12-01T23:59:60Z",
            "2026-12-01T17:00:00+24:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:30:00+01:00",
            "9998-12-31T23:00:00-02:00",
            "9999-01-01T00:00:00Z",
            " 2026-12-01T17:00:00Z",
        ]
    )

    @EXAMPLES
    @given(st.one_of(_text(patterns.INSTANT), written, variants))
    def agree(value: str) -> None:
        body = {"title": "t", "due_at": value}
        assert schema.is_valid(body) == _accepts(TaskCreate, body), repr(value)

    agree()


def test_roles_and_time_zones_are_enumerated(spec: dict[str, Any]) -> None:
    member, profile = _body(spec, "MemberCreate"), _body(spec, "ProfilePatch")
    for role in ("owner", "editor", "viewer", "admin", "Editor"):
        body = {"email": "a@b.c", "role": role}
        assert member.is_valid(body) == _accepts(MemberCreate, body), role
    for zone in (
        "Europe/Berlin",
        "UTC",
        "Etc/GMT+5",
        "europe/berlin",
        "Mars/Olympus",
        "/etc/passwd",
    ):
        body = {"time_zone": zone}
        assert profile.is_valid(body) == _accepts(ProfilePatch, body), zone


@pytest.mark.parametrize(
    ("name", "model", "bodies"),
    [
        (
            "TaskPatch",
            TaskPatch,
            [
                {},
                {"title": None},
                {"status": None},
                {"labels": None},
                {"due_at": None},
                {"assignee_id": None},
                {"priority": "low"},
                {"title": "t", "description": None},
            ],
        ),
        ("ProjectPatch", ProjectPatch, [{}, {"name": None}, {"description": None}, {"name": "n"}]),
        (
            "ProfilePatch",
            ProfilePatch,
            [
                {},
                {"display_name": None},
                {"time_zone": None},
                {"notifications": None},
                {"notifications": {"events": None, "reminder_lead_minutes": None}},
            ],
        ),
    ],
)
def test_patches_state_what_may_be_null_and_what_must_be_sent(
    spec: dict[str, Any], name: str, model: type[BaseModel], bodies: list[dict[str, Any]]
) -> None:
    schema = _body(spec, name)
    for body in bodies:
        assert schema.is_valid(body) == _accepts(model, body), body
    # A default of null only where null may be sent (a client would send the default back).
    for field, documented in spec["components"]["schemas"][name]["properties"].items():
        if documented.get("default", ...) is None:
            assert {"type": "null"} in documented["anyOf"], field


# Parameters and headers ------------------------------------------------------------------
def test_every_path_parameter_has_a_shape(spec: dict[str, Any]) -> None:
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["type"] == "string", path
                    assert {"pattern", "maxLength"} & set(parameter["schema"]), path
    assert set(PATH_PARAMETERS) == {
        p["name"]
        for operations in spec["paths"].values()
        for operation in operations.values()
        for p in operation.get("parameters", [])
        if p["in"] == "path"
    }


def test_every_operation_documents_its_success(spec: dict[str, Any]) -> None:
    # A route's own `responses` replace the default one: the 2xx must be among them.
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)


def test_writes_into_a_project_document_its_archive_refusal(spec: dict[str, Any]) -> None:
    """409 `project_archived` where an archived project refuses the write (and only there)."""

    def says(method: str, path: str) -> bool:
        return "project_archived" in spec["paths"][path][method]["responses"]["409"]["description"]

    for method, path in ARCHIVE_REFUSED_PROJECT_WRITES:
        assert says(method, path), (method, path)
    for method, path in [
        ("patch", "/tasks/{task_id}/comments/{comment_id}"),
        ("post", "/tasks/{task_id}/attachments/{attachment_id}/complete"),
        ("post", "/tasks/{task_id}/move"),
        ("post", "/tasks/{task_id}/restore"),
    ]:
        assert says(method, path), (method, path)
    for method, path in [
        ("get", "/tasks/{task_id}"),
        ("post", "/projects/{project_id}/unarchive"),
        ("delete", "/projects/{project_id}"),
        ("post", "/invitations/{invitation_id}/decline"),
    ]:
        assert not says(method, path), (method, path)


def test_headers_are_declared_where_read(spec: dict[str, Any]) -> None:
    declared = {
        (method.upper(), path, p["name"])
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for p in operation.get("parameters", [])
        if p["in"] == "header"
    }
    # Every POST that creates something: 201, or the 202 invitation of a share (an import's
    # start also answers 202 but creates nothing: it moves the import on).
    creates = {
        (m.upper(), p)
        for p, ops in spec["paths"].items()
        for m, op in ops.items()
        if "201" in op["responses"] or (m == "post" and p.endswith("/members"))
    }
    assert {(m, p) for m, p, h in declared if h == "Idempotency-Key"} == creates
    assert {(m, p) for m, p, h in declared if h == "If-Match"} == {
        (method, path)
        for method in ("PATCH", "DELETE")
        for path in (
            "/tasks/{task_id}",
            "/projects/{project_id}",
            "/tasks/{task_id}/comments/{comment_id}",
            "/tasks/{task_id}/checklist/{item_id}",
        )
    } | {
        ("POST", "/tasks/{task_id}/move"),
        # Changes of the task's checklist and series compare the task's version.
        ("POST", "/tasks/{task_id}/checklist"),
        ("DELETE", "/tasks/{task_id}/recurrence"),
        ("POST", "/tasks/{task_id}/recurrence/complete"),
    }
    assert {(m, p) for m, p, h in declared if h == "Prefer"} == {
        ("PATCH", "/tasks/{task_id}"),
        ("POST", "/tasks/{task_id}/recurrence/complete"),
        ("PATCH", "/projects/{project_id}"),
    }
    assert all(
        not key.startswith("x-") for op in spec["paths"].values() for o in op.values() for key in o
    )


class _Event:
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


class _Router:
    def __init__(self, headers: dict[str, str]) -> None:
        self.current_event = _Event(headers)


def test_if_match_is_documented_exactly() -> None:
    from tasklane.api.http import expected_version
    from tasklane.domain.errors import PreconditionFailed

    header = jsonschema_rs.validator_for(IF_MATCH["schema"])
    tags = st.one_of(
        _text(IF_MATCH["schema"]["pattern"], max_size=25),
        st.sampled_from(
            ['"3"', "*", ' "12" ', 'W/"3"', '"3", "4"', '"-1"', '"x"', "3", "**", "\u0663"]
        ),
        st.integers(0, 10**19).map(lambda n: f'"{n}"'),
    )

    @EXAMPLES
    @given(tags)
    def agree(value: str) -> None:
        try:
            expected_version(_Router({"If-Match": value}))  # type: ignore[arg-type]
            accepted = True
        except PreconditionFailed:
            accepted = False
        # HTTP drops the whitespace around a header value (RFC 9110 OWS): the document
        # states the value as it arrives, the handler also takes one a proxy passed on.
        assert header.is_valid(value.strip(" \t")) == accepted, repr(value)

    agree()


def test_idempotency_keys_are_documented_exactly() -> None:
    from tasklane.api.idempotency import _KEY

    header = jsonschema_rs.validator_for(IDEMPOTENCY_KEY["schema"])

    @EXAMPLES
    @given(
        st.one_of(_text(IDEMPOTENCY_KEY["schema"]["pattern"], max_size=300), st.text(max_size=3))
    )
    def agree(value: str) -> None:
        assert header.is_valid(value) == bool(_KEY.fullmatch(value)), repr(value)

    agree()


def test_attachment_limits_come_from_the_settings(spec: dict[str, Any]) -> None:
    create = spec["components"]["schemas"]["AttachmentCreate"]["properties"]
    limits = SETTINGS.attachments
    assert create["size"]["maximum"] == limits.max_bytes
    assert set(create["content_type"]["enum"]) == set(CONTENT_TYPES)


def test_every_schema_reference_resolves(spec: dict[str, Any]) -> None:
    """A dangling $ref (Powertools' ResponseValidationError named the removed
    ValidationError) makes openapi-typescript refuse the document."""
    names = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert names, "the document references no schema"
    assert names <= set(spec["components"]["schemas"]), names - set(spec["components"]["schemas"])


def test_answers_list_every_field_as_required(spec: dict[str, Any]) -> None:
    """The API sends every field of an answer (null when empty), so a generated client may
    rely on it; a request's defaulted fields stay optional."""
    schemas = spec["components"]["schemas"]
    for model in (Task, Notification, NotificationPreferences, Attachment):
        fields = [*model.model_fields, *model.model_computed_fields]
        assert schemas[model.__name__]["required"] == fields, model
    task = _body(spec, "Task")
    answered = Task(**TASK).model_dump(mode="json")
    assert task.is_valid(answered)
    assert not task.is_valid({k: v for k, v in answered.items() if k != "assignee_id"})
    assert "description" not in schemas["TaskCreate"].get("required", [])
    assert "description" not in schemas["ProjectCreate"].get("required", [])
