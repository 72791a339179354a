"""Reading values out of parsed JSON whose shape nobody promised: every accessor takes any
object and answers a safe default for anything unexpected."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any


def obj(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def text(value: Mapping[str, Any], key: str) -> str:
    found = value.get(key)
    return found if isinstance(found, str) else ""


def ident(value: Mapping[str, Any], key: str) -> str:
    """An id: a string or an integer, as text ("" if neither)."""
    found = value.get(key)
    if isinstance(found, bool):
        return ""
    if isinstance(found, str | int):
        return str(found)[:200]
    return ""


def flag(value: Mapping[str, Any], key: str) -> bool:
    return value.get(key) is True


def items(value: Mapping[str, Any], key: str) -> Iterator[Any]:
    found = value.get(key)
    if isinstance(found, list):
        yield from found


def strings(value: Mapping[str, Any], key: str) -> list[str]:
    return [item for item in items(value, key) if isinstance(item, str)]


def instant(raw: str) -> datetime | None:
    """An ISO 8601 instant with an offset (``Z`` too), or None."""
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
