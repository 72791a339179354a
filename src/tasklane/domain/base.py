"""The base of every pydantic model here.

``defer_build``: pydantic builds a model's validator when it is first used, not when the
class is defined. A cold start then pays only for the models its first request needs, not
for every model of every route (~20 ms of the api handler's import otherwise).

The modules of domain models do without ``from __future__ import annotations``: their
annotations are objects already when a class is made, so pydantic evaluates no string per
field (~2 ms of the api handler's import). A class named before it exists is quoted.
"""

from collections.abc import Callable, Collection
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)


def patch_schema(
    *,
    nullable: Collection[str] = (),
    min_properties: int = 0,
    extra: dict[str, Any] | None = None,
) -> Callable[[dict[str, Any]], None]:
    """``json_schema_extra`` for a patch model, whose fields are optional (``None``: not
    sent): only the fields in ``nullable`` may be sent as null (null clears them), so the
    others show no null branch and no ``default: null`` (a client would send it back); a
    patch that must change something says so (``minProperties``). The validators are left
    as they are: their errors keep the field's plain path. ``extra``: more of the model's
    schema (a rule across fields)."""

    def edit(schema: dict[str, Any]) -> None:
        schema.update(extra or {})
        if min_properties:
            schema["minProperties"] = min_properties
        for name, field in schema.get("properties", {}).items():
            if name in nullable:
                continue
            if field.get("default", ...) is None:
                del field["default"]
            branches = [b for b in field.get("anyOf", ()) if b != {"type": "null"}]
            if len(branches) == 1:
                del field["anyOf"]
                field.update({**branches[0], **field})
            elif "anyOf" in field:
                field["anyOf"] = branches

    return edit
