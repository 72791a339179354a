"""Every answer of the api function carries nosniff and no-store (issue 14, finding 4): a
user's data is never kept by a browser or a shared cache, nor sniffed into something else."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api


@pytest.mark.parametrize(
    ("method", "path", "user", "status"),
    [
        ("GET", "/projects", "user-a", 200),
        ("POST", "/projects", "user-a", 422),  # no body
        ("GET", "/projects/01jd0000000000000000000000", "user-a", 404),
        ("GET", "/projects", None, 401),
        ("GET", "/openapi.json", None, 200),
    ],
)
def test_every_answer_is_protected(
    api: Api, method: str, path: str, user: str | None, status: int
) -> None:
    reply = api.call(method, path, user=user)
    assert reply.status == status, reply.body
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["cache-control"] == "no-store"
