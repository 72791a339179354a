"""The base of every pydantic model here.

``defer_build``: pydantic builds a model's validator when it is first used, not when the
class is defined. A cold start then pays only for the models its first request needs, not
for every model of every route (~20 ms of the api handler's import otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)


def omit_null_defaults(*, min_properties: int = 0) -> Callable[[dict[str, Any]], None]:
    """``json_schema_extra`` for a patch model: fields that may be left out but not sent as
    null show no ``default: null`` in the document (a client would send it back), and a
    patch that must change something says so (``minProperties``)."""

    def edit(schema: dict[str, Any]) -> None:
        if min_properties:
            schema["minProperties"] = min_properties
        for field in schema.get("properties", {}).values():
            if field.get("default", ...) is None and not _admits_null(field):
                del field["default"]

    return edit


def _admits_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(_admits_null(s) for s in schema.get("anyOf", ()))
