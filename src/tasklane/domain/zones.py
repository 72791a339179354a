"""IANA time zones, as users choose them (profiles) and recurring tasks keep them."""

import zoneinfo
from functools import cache
from typing import Annotated, cast

from pydantic import AfterValidator, Field
from pydantic.config import JsonDict, JsonValue

DEFAULT_TIME_ZONE = "UTC"


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(value: str) -> str:
    # Only names from the IANA database: ZoneInfo() alone would also take file paths.
    if value not in _zones():
        raise ValueError("must be an IANA time zone name, e.g. Europe/Berlin")
    return value


def _zone_names(schema: JsonDict) -> None:
    # Listed when the document is built (first /openapi.json), not on import.
    schema["enum"] = cast("list[JsonValue]", sorted(_zones()))


TimeZone = Annotated[
    str,
    Field(max_length=64, json_schema_extra=_zone_names),
    AfterValidator(check_time_zone),
]
