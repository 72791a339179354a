"""Due dates from import files: instants, local times and dates without a time.

Tasklane keeps a due date as an instant (UTC). A source value becomes one like this:

- with an offset (``2026-12-01T17:00:00+01:00``, ``…Z``): that instant;
- a local date-time without an offset (``2026-12-01 17:00``): in the import's time zone (or
  the row's, when the format has one, as Todoist's ``TIMEZONE`` column);
- a date alone (``2026-12-01``): the *all-day time* (23:59 by default: due by the end of
  that day, not overdue from its first minute) on that date in that time zone, marked
  ``all_day``.

A local time that a daylight-saving change skips or repeats takes the offset in force before
the change (``fold=0``), as most calendar programs do.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from tasklane.domain.zones import check_time_zone

#: The instant an all-day due date is given, unless the import says otherwise.
DEFAULT_ALL_DAY_TIME = time(23, 59)
_FIRST_YEAR, _LAST_YEAR = 1970, 9998

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ISO_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)
#: strptime directives that carry a time of day: a format without them parses a date.
_TIME_DIRECTIVES = re.compile(r"%[HIMSpfzZXc]")


@dataclass(frozen=True, slots=True)
class Due:
    at: datetime
    all_day: bool = False


def zone(name: str) -> tzinfo:
    """An IANA zone (ValueError for anything else, file paths included). ``ZoneInfo`` keeps
    its own cache of the zones it has built."""
    if name == "UTC":
        return UTC
    return zoneinfo.ZoneInfo(check_time_zone(name))


def _checked(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("is outside the supported range") from exc
    if not _FIRST_YEAR <= utc.year <= _LAST_YEAR:
        raise ValueError(f"must fall in the years {_FIRST_YEAR}-{_LAST_YEAR}")
    return utc


def all_day(day: date, where: tzinfo, at: time = DEFAULT_ALL_DAY_TIME) -> Due:
    return Due(_checked(datetime.combine(day, at, tzinfo=where)), all_day=True)


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError("has an offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_iso(text: str, where: tzinfo, all_day_time: time = DEFAULT_ALL_DAY_TIME) -> Due:
    """An ISO 8601 / RFC 3339 date or date-time (see the module doc); ValueError if not."""
    value = text.strip()
    try:
        if match := _ISO_DATE.fullmatch(value):
            return all_day(date(*map(int, match.groups())), where, all_day_time)
        if match := _ISO_DATE_TIME.fullmatch(value):
            year, month, day, hour, minute, second, fraction, offset = match.groups()
            micro = int((fraction or "0")[:6].ljust(6, "0"))
            local = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro
            )
            return Due(_checked(local.replace(tzinfo=_offset(offset) if offset else where)))
    except ValueError as exc:
        raise ValueError(f"{value[:40]!r} is not a valid date: {exc}") from exc
    raise ValueError(f"{value[:40]!r} is not an ISO 8601 date (2026-12-01 or 2026-12-01T17:00)")


def parse_with_format(
    text: str, pattern: str, where: tzinfo, all_day_time: time = DEFAULT_ALL_DAY_TIME
) -> Due:
    """A date in the strptime ``pattern`` a mapping names (``%d/%m/%Y``); ValueError if not."""
    value = text.strip()
    try:
        parsed = datetime.strptime(value, pattern)
    except ValueError as exc:
        raise ValueError(f"{value[:40]!r} does not match the date format {pattern!r}") from exc
    if not _TIME_DIRECTIVES.search(pattern):
        return all_day(parsed.date(), where, all_day_time)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=where)
    return Due(_checked(parsed))
