"""The error contract: one JSON shape, the right status, never a 5xx for client input."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import Api


def _assert_shape(body: dict[str, object]) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str)
    assert error["message"]


@pytest.mark.parametrize("raw", ["{bad", "", "[1,", '{"title": "x",}', "\x00"])
def test_malformed_json_is_400(api: Api, raw: str) -> None:
    reply = api.call(
        "POST",
        "/projects/inbox/tasks",
        raw_body=raw or " ",
        headers={"Content-Type": "application/json"},
    )
    assert reply.status in (400, 422), reply
    _assert_shape(reply.body)


def test_malformed_json_code(api: Api) -> None:
    reply = api.call(
        "POST", "/projects", raw_body="{bad", headers={"Content-Type": "application/json"}
    )
    assert (reply.status, reply.error_code) == (400, "malformed_json")


@pytest.mark.parametrize("body", ["[]", "42", '"text"', "null"])
def test_json_that_is_not_an_object_is_422(api: Api, body: str) -> None:
    reply = api.call(
        "POST", "/projects", raw_body=body, headers={"Content-Type": "application/json"}
    )
    assert reply.status == 422, reply
    _assert_shape(reply.body)


def test_validation_errors_name_the_fields(api: Api) -> None:
    reply = api.post("/projects/inbox/tasks", {"title": "", "priority": "p0", "labels": [""] * 2})
    assert reply.status == 422
    _assert_shape(reply.body)
    locations = {tuple(d["loc"]) for d in reply.body["error"]["details"]}
    assert ("body", "title") in locations
    assert ("body", "priority") in locations


def test_body_over_one_mebibyte_is_413(api: Api) -> None:
    big = json.dumps({"title": "x", "description": "y" * (1024 * 1024)})
    reply = api.call(
        "POST", "/projects/inbox/tasks", raw_body=big, headers={"Content-Type": "application/json"}
    )
    assert (reply.status, reply.error_code) == (413, "payload_too_large")
    _assert_shape(reply.body)


def test_description_over_limit_is_422(api: Api) -> None:
    reply = api.post("/projects/inbox/tasks", {"title": "x", "description": "y" * 10_001})
    assert reply.status == 422


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/merge-patch+json",
        None,
    ],
)
def test_non_json_content_type_is_415(api: Api, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    reply = api.call("POST", "/projects", raw_body='{"name": "x"}', headers=headers)
    assert (reply.status, reply.error_code) == (415, "unsupported_media_type")


def test_json_with_parameters_is_accepted(api: Api) -> None:
    for content_type in ("application/json; charset=utf-8", "application/json;charset=UTF-8"):
        reply = api.call(
            "POST", "/projects", raw_body='{"name": "x"}', headers={"Content-Type": content_type}
        )
        assert reply.status == 201, content_type


def test_unknown_route_is_404_in_the_error_shape(api: Api) -> None:
    reply = api.get("/nowhere")
    assert reply.status == 404
    _assert_shape(reply.body)


def test_missing_claims_is_401(api: Api) -> None:
    reply = api.get("/projects", user=None)
    assert (reply.status, reply.error_code) == (401, "unauthorized")


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 201},
        {"title": "ok", "due_at": "2026-12-01T10:00:00"},
        {"title": "ok", "due_at": "not a date"},
        {"title": "ok", "due_at": 1700000000},
        {"title": "ok", "due_at": "0001-01-01T00:00:00+01:00"},
        {"title": "ok", "due_at": "9999-12-31T23:30:00-01:00"},
        {"title": "next\u0085line"},
        {"title": "ok", "labels": "a"},
        {"title": "ok", "labels": ["x" * 51]},
        {"title": "ok", "status": None},
        {"title": "a\u0000b"},
        {"title": 5},
        {"title": {"$ne": 1}},
    ],
)
def test_invalid_task_bodies_are_422(api: Api, body: dict[str, object]) -> None:
    reply = api.post("/projects/inbox/tasks", body)
    assert reply.status == 422, reply
    _assert_shape(reply.body)


def test_cors_headers_for_the_web_origin(api: Api) -> None:
    reply = api.get("/health", headers={"Origin": "http://127.0.0.1:3000"})
    assert reply.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    refused = api.call(
        "POST",
        "/projects",
        raw_body="x",
        headers={"Origin": "http://127.0.0.1:3000", "Content-Type": "text/plain"},
    )
    assert refused.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    other = api.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_openapi_and_docs_are_served(api: Api) -> None:
    spec = api.get("/openapi.json", user=None)
    assert spec.status == 200
    paths = spec.body["paths"]
    for path in (
        "/projects",
        "/projects/{project_id}",
        "/projects/{project_id}/tasks",
        "/tasks/{task_id}",
    ):
        assert path in paths
    assert spec.body["components"]["securitySchemes"]["cognito"]["in"] == "header"
    docs = api.get("/docs", user=None)
    assert docs.status == 200
    assert docs.headers["content-type"] == "text/html"
    assert "SwaggerUIBundle" in docs.body
    assert "/projects/{project_id}/tasks" in docs.body
