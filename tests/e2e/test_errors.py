"""Bad requests over HTTP: the right 4xx, in the one error shape, and never a 5xx.

The shape itself (``{"error": {"code", "message", "details"}}``) and the absence of 5xx are
checked on every response by the client's hook (see ``support.check_response``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from .support import User, collect, error_code

pytestmark = pytest.mark.e2e

MIB = 1024 * 1024
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def target(alice: User) -> dict[str, str]:
    """A project and a task of Alice's to aim bad requests at."""
    project = alice.http.post("/projects", json={"name": "errors"}).json()
    task = alice.http.post(f"/projects/{project['id']}/tasks", json={"title": "t"}).json()
    return {
        "project": f"/projects/{project['id']}",
        "tasks": f"/projects/{project['id']}/tasks",
        "task": f"/tasks/{task['id']}",
    }


def _titles(user: User, path: str) -> list[str]:
    return [t["title"] for page in collect(user.http, path, {"limit": 100}) for t in page]


WRITES = [("POST", "tasks"), ("POST", "project-create"), ("PATCH", "task"), ("PATCH", "project")]


def _path(target: dict[str, str], name: str) -> str:
    return "/projects" if name == "project-create" else target[name]


@pytest.mark.parametrize(("method", "where"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [b'{"title": ', b"{'title': 'single quotes'}", b'{"title": "x"} trailing', b"\x00"],
    ids=["truncated", "single-quotes", "trailing", "nul"],
)
def test_malformed_json_is_400(
    alice: User, target: dict[str, str], method: str, where: str, raw: bytes
) -> None:
    response = alice.http.request(method, _path(target, where), content=raw, headers=JSON)

    assert (response.status_code, error_code(response)) == (400, "malformed_json")


@pytest.mark.parametrize(("method", "where"), WRITES)
def test_a_body_over_one_mebibyte_is_413(
    alice: User, target: dict[str, str], method: str, where: str
) -> None:
    title = f"huge {uuid.uuid4()}"
    body = json.dumps({"title": title, "description": "y" * MIB}).encode()

    response = alice.http.request(method, _path(target, where), content=body, headers=JSON)

    assert (response.status_code, error_code(response)) == (413, "payload_too_large")
    assert title not in _titles(alice, target["tasks"])


def test_a_body_just_under_the_limit_is_read_and_validated(
    alice: User, target: dict[str, str]
) -> None:
    body = json.dumps({"title": "big", "description": "y" * (MIB - 100)}).encode()
    assert len(body) <= MIB

    response = alice.http.post(target["tasks"], content=body, headers=JSON)

    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    assert [d["loc"] for d in response.json()["error"]["details"]] == [["body", "description"]]


@pytest.mark.parametrize(("method", "where"), WRITES)
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", None],
    ids=["text", "form", "xml", "none"],
)
def test_a_body_that_is_not_json_is_415(
    alice: User, target: dict[str, str], method: str, where: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    response = alice.http.request(
        method, _path(target, where), content=b'{"title": "x", "name": "x"}', headers=headers
    )

    assert (response.status_code, error_code(response)) == (415, "unsupported_media_type")


def test_json_with_a_charset_is_json(alice: User, target: dict[str, str]) -> None:
    response = alice.http.post(
        target["tasks"],
        content=b'{"title": "charset"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 201


#: Request, then the field paths its 422 must name.
INVALID: dict[str, tuple[str, str, dict[str, Any], set[tuple[str, ...]]]] = {
    "task-create": (
        "POST",
        "tasks",
        {
            "json": {
                "title": "   ",
                "priority": "critical",
                "status": "blocked",
                "due_at": "2026-12-01T17:00:00",  # no offset
                "labels": ["ok", ""],
                "colour": "red",
            }
        },
        {
            ("body", "title"),
            ("body", "priority"),
            ("body", "status"),
            ("body", "due_at"),
            ("body", "labels"),
            ("body", "colour"),
        },
    ),
    "task-missing-title": (
        "POST",
        "tasks",
        {"json": {"description": "no title"}},
        {("body", "title")},
    ),
    "task-not-an-object": ("POST", "tasks", {"json": ["title"]}, {("body",)}),
    "task-too-many-labels": (
        "POST",
        "tasks",
        {
            "json": {
                "title": "x",
                "labels": [f"l{n}" for n in range(21)],
                "description": "d" * 10_001,
            }
        },
        {("body", "labels"), ("body", "description")},
    ),
    "task-patch": (
        "PATCH",
        "task",
        {"json": {"title": "two\nlines", "due_at": "tomorrow", "version": 9}},
        {("body", "title"), ("body", "due_at"), ("body", "version")},
    ),
    "project-create": (
        "POST",
        "project-create",
        {"json": {"name": "", "owner_id": "someone-else"}},
        {("body", "name"), ("body", "owner_id")},
    ),
    "project-patch": ("PATCH", "project", {"json": {"name": "n" * 101}}, {("body", "name")}),
    "list-query": (
        "GET",
        "tasks",
        {
            "params": {
                "limit": "0",
                "sort": "title",
                "order": "up",
                "status": "blocked",
                "priority": "whenever",
                "due_before": "2030-01-01",
            }
        },
        {
            ("query", "limit"),
            ("query", "sort"),
            ("query", "order"),
            ("query", "status"),
            ("query", "priority"),
            ("query", "due_before"),
        },
    ),
    "projects-query": ("GET", "project-create", {"params": {"limit": "101"}}, {("query", "limit")}),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_fields_are_422_with_their_paths(
    alice: User, target: dict[str, str], case: str
) -> None:
    method, where, request, paths = INVALID[case]

    response = alice.http.request(method, _path(target, where), **request)

    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    details = response.json()["error"]["details"]
    assert {tuple(d["loc"]) for d in details} == paths
    for detail in details:
        assert set(detail) == {"loc", "message", "type"}, detail
        assert detail["message"]


@pytest.mark.parametrize(
    "patch", [{}, {"title": None}, {"labels": None}], ids=["empty", "null-title", "null-labels"]
)
def test_a_patch_that_changes_nothing_valid_is_422(
    alice: User, target: dict[str, str], patch: dict[str, Any]
) -> None:
    response = alice.http.patch(target["task"], json=patch)

    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    assert alice.http.get(target["task"]).headers["etag"] == '"1"'


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("POST", "/tasks"),
        ("PATCH", "/tasks"),
        ("PUT", "/projects"),
        ("DELETE", "/projects"),
        ("GET", "/projects/inbox/tasks/extra"),
    ],
)
def test_unknown_routes_are_404(alice: User, method: str, path: str) -> None:
    response = alice.http.request(method, path)

    assert (response.status_code, error_code(response)) == (404, "not_found")


# --- bugs ----------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_client_error(alice: User, target: dict[str, str]) -> None:
    body = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = alice.http.post(target["tasks"], content=body, headers=JSON)

    assert response.status_code in (400, 413, 422)


def test_json_that_is_not_utf8_is_400(alice: User, target: dict[str, str]) -> None:
    response = alice.http.post(target["tasks"], content=b'{"title": "\xff\xfe"}', headers=JSON)

    assert (response.status_code, error_code(response)) == (400, "malformed_json")


def test_an_empty_due_range_is_422_in_the_documented_detail_shape(
    alice: User, target: dict[str, str]
) -> None:
    response = alice.http.get(
        target["tasks"],
        params={"due_after": "2030-06-02T00:00:00Z", "due_before": "2030-06-01T00:00:00Z"},
    )

    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    details = response.json()["error"]["details"]
    assert [tuple(d["loc"]) for d in details] == [("query", "due_after")]
    assert set(details[0]) == {"loc", "message", "type"}
