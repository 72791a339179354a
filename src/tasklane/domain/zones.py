"""IANA time zones, as users choose them (profiles) and recurring tasks keep them."""

import zoneinfo
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field

DEFAULT_TIME_ZONE = "UTC"


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(value: str) -> str:
    # Only names from the IANA database: ZoneInfo() alone would also take file paths.
    if value not in _zones():
        raise ValueError("must be an IANA time zone name, e.g. Europe/Berlin")
    return value


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(check_time_zone)]
