"""Quotas a write counts against: values the use cases pass to the stores, which raise the
counter in the same transaction as the write (so no burst of requests gets past a limit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Quota:
    """A count limit: the write raises a counter by one, refused (409 ``limit_reached``)
    at ``maximum``; removing what was counted lowers it again."""

    name: str
    maximum: int


@dataclass(frozen=True, slots=True)
class DailyQuota:
    """A rate limit: at most ``maximum`` per UTC ``day`` (``YYYY-MM-DD``), refused with 429
    and ``Retry-After: retry_after`` (seconds to the next day); the counter expires with
    the day (``expires_at``, epoch seconds, the table's TTL)."""

    name: str
    maximum: int
    day: str
    retry_after: int
    expires_at: int


def daily_quota(name: str, maximum: int, now: datetime) -> DailyQuota:
    """Today's (UTC) counter: refused until midnight, then gone (TTL a day later)."""
    today = now.astimezone(UTC)
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
    return DailyQuota(
        name=name,
        maximum=maximum,
        day=f"{today:%Y-%m-%d}",
        retry_after=int((midnight - today).total_seconds()) + 1,
        expires_at=int((midnight + timedelta(days=1)).timestamp()),
    )
