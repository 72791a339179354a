"""Cursor handling shared by the list use cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tasklane.domain.cursor import decode_cursor, encode_cursor
from tasklane.domain.ports.pages import PageKey

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Cursors:
    secret: bytes

    def start(self, cursor: str | None, bound: dict[str, Any]) -> PageKey | None:
        return decode_cursor(cursor, bound, self.secret) if cursor else None

    def next(self, key: PageKey | None, bound: dict[str, Any]) -> str | None:
        return encode_cursor(key, bound, self.secret) if key else None
