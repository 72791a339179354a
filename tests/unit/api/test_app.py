"""The resolver's route areas: each route is reached through the area its path names, an
area joins the resolver once, and a resolver filled area by area documents and answers a
preflight as one built whole. The handler's first request per area, against moto, is in
tests/integration/handlers/test_api_areas.py."""

from __future__ import annotations

import json
import re
import threading
import warnings
from typing import Any

import pytest

from tasklane.api.app import AREAS, ROUTERS, Areas, create_app
from tasklane.api.openapi import document
from tasklane.settings import Settings

SETTINGS = Settings()._replace(cors_origins=("https://app.example.com",))
METHODS = ("get", "post", "put", "patch", "delete")


def _event(method: str, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"httpMethod": method, "path": path, "headers": headers or {}}


def _operations(names: tuple[str, ...]) -> set[tuple[str, str]]:
    """The operations of these router modules, as Powertools documents them."""
    spec = json.loads(create_app(SETTINGS, routers=names).get_openapi_json_schema())
    return {
        (method, path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in METHODS
    }


def _concrete(path: str) -> str:
    """A path a request could name: each ``{parameter}`` filled in."""
    return re.sub(r"\{[^}]+\}", "01J0000000000000000000000A", path)


def test_the_areas_name_every_router_once() -> None:
    assert len(set(ROUTERS)) == len(ROUTERS)
    assert {name for names in AREAS.values() for name in names} == set(ROUTERS)


@pytest.mark.parametrize("name", ROUTERS)
def test_each_route_is_reached_through_its_area(name: str) -> None:
    operations = _operations((name,))
    assert operations, f"tasklane.api.{name} has no routes"
    for method, path in operations:
        assert name in Areas.needed(_concrete(path), method.upper()), (method, path)


def test_an_area_joins_once_even_when_requests_race() -> None:
    areas = Areas(create_app(SETTINGS, routers=()))
    start = threading.Barrier(8)

    def first_request() -> None:
        start.wait()
        areas.prepare(_event("GET", "/tasks/p-01J0000000000000000000000A"))

    # Powertools warns when a route is registered twice; the record is process-wide, so it
    # hears the threads too.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=first_request) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        areas.prepare(_event("PATCH", "/tasks/p-01J0000000000000000000000A"))
    assert [str(w.message) for w in caught] == []
    assert areas.included == set(AREAS["tasks"])
    spec = json.loads(areas.app.get_openapi_json_schema())
    assert set(spec["paths"]) == {path for _method, path in _operations(AREAS["tasks"])}


def test_a_request_gets_only_its_area() -> None:
    areas = Areas(create_app(SETTINGS, routers=()))
    areas.prepare(_event("GET", "/health"))
    assert areas.included == {"meta"}
    areas.prepare(_event("GET", "/nowhere/at/all"))
    assert areas.included == {"meta"}, "a path under no area has no route to include"
    areas.prepare(_event("GET", "/me"))
    assert areas.included == {"meta", "me", "calendar"}  # /me/calendar is the feed's


@pytest.mark.parametrize(
    "first",
    [_event("GET", "/openapi.json"), _event("GET", "/docs"), _event("OPTIONS", "/health")],
)
def test_the_document_and_a_preflight_get_every_area(first: dict[str, Any]) -> None:
    areas = Areas(create_app(SETTINGS, routers=()))
    areas.prepare(first)
    assert areas.included == set(ROUTERS)


def test_filled_area_by_area_it_documents_what_a_whole_one_does() -> None:
    whole = document(create_app(SETTINGS), SETTINGS)
    areas = Areas(create_app(SETTINGS, routers=()))
    for path in (
        "/search", "/tasks/x", "/health", "/notifications", "/projects", "/me", "/exports",
        "/imports",
    ):  # fmt: skip
        areas.prepare(_event("GET", path))
    assert areas.included == set(ROUTERS)
    assert document(areas.app, SETTINGS) == whole


def test_a_first_preflight_answers_as_a_whole_resolver_does() -> None:
    preflight = _event(
        "OPTIONS",
        "/notifications",
        {
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "if-match,content-type",
        },
    )
    whole = create_app(SETTINGS).resolve(preflight, None)  # type: ignore[arg-type]
    areas = Areas(create_app(SETTINGS, routers=()))
    areas.prepare(preflight)
    lazy = areas.app.resolve(preflight, None)  # type: ignore[arg-type]
    assert lazy["statusCode"] == whole["statusCode"] == 204
    assert lazy == whole
    methods = lazy["multiValueHeaders"]["Access-Control-Allow-Methods"]
    assert set(methods[0].split(",")) == {"DELETE", "GET", "OPTIONS", "PATCH", "POST"}
