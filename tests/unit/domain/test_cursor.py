"""List cursors: opaque, signed, and bound to the query they were issued for."""

from __future__ import annotations

import base64
import json

import pytest

from tasklane.domain.cursor import decode_cursor, encode_cursor
from tasklane.domain.errors import BadRequest
from tasklane.logic.pages import Cursors

SECRET = b"cursor-secret"
KEY = {"pk": "PROJECT#p", "sk": "TASK#t", "lsi_due_sk": "DUE#2025-01-01T00:00:00.000Z#t"}
BOUND: dict[str, object] = {
    "user": "user-a",
    "project": "p",
    "sort": "due",
    "order": "asc",
    "status": None,
}


def _flip(text: str, position: int) -> str:
    """``text`` with one character changed (still URL-safe base64)."""
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1 :]


def _refused(token: str, bound: dict[str, object] = BOUND, secret: bytes = SECRET) -> None:
    with pytest.raises(BadRequest) as exc:
        decode_cursor(token, bound, secret)
    assert exc.value.status == 400
    assert exc.value.details == {"field": "cursor"}


def test_round_trip() -> None:
    token = encode_cursor(KEY, BOUND, SECRET)
    assert decode_cursor(token, dict(reversed(BOUND.items())), SECRET) == KEY


def test_cursor_is_opaque_url_safe_text() -> None:
    token = encode_cursor(KEY, BOUND, SECRET)
    assert "TASK#" not in token
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@pytest.mark.parametrize("position", [0, 5, -1])
def test_tampered_payload_is_refused(position: int) -> None:
    payload, signature = encode_cursor(KEY, BOUND, SECRET).split(".")
    _refused(f"{_flip(payload, position)}.{signature}")


def test_forged_payload_with_the_old_signature_is_refused() -> None:
    payload, signature = encode_cursor(KEY, BOUND, SECRET).split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["k"]["sk"] = "TASK#someone-elses"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    _refused(f"{forged}.{signature}")


@pytest.mark.parametrize("position", [0, -1])
def test_tampered_signature_is_refused(position: int) -> None:
    payload, signature = encode_cursor(KEY, BOUND, SECRET).split(".")
    _refused(f"{payload}.{_flip(signature, position)}")


def test_cursor_from_another_deployment_is_refused() -> None:
    _refused(encode_cursor(KEY, BOUND, b"another-secret"))


@pytest.mark.parametrize(
    "other",
    [
        BOUND | {"status": "done"},
        BOUND | {"sort": "created"},
        BOUND | {"order": "desc"},
        BOUND | {"project": "q"},
        BOUND | {"user": "user-b"},
        {k: v for k, v in BOUND.items() if k != "status"},
    ],
)
def test_cursor_for_another_query_is_refused(other: dict[str, object]) -> None:
    _refused(encode_cursor(KEY, BOUND, SECRET), bound=other)


@pytest.mark.parametrize(
    "token", ["", ".", "abc", "abc.", ".abc", "a" * 2049 + ".b", "%%%.%%%", "\u00e9.abc"]
)
def test_malformed_cursors_are_refused(token: str) -> None:
    _refused(token)


def test_non_ascii_signature_is_refused() -> None:
    _refused("abc.\u00e9")


def test_cursors_helper() -> None:
    cursors = Cursors(SECRET)
    assert cursors.start(None, BOUND) is None
    assert cursors.next(None, BOUND) is None
    assert cursors.next({}, BOUND) is None
    token = cursors.next(KEY, BOUND)
    assert token is not None
    assert cursors.start(token, BOUND) == KEY
    with pytest.raises(BadRequest):
        Cursors(b"other").start(token, BOUND)
