"""Task counts for the caller: by status and priority, overdue, due today and this week —
"today" and "this week" in the caller's time zone (their profile), per project and in total.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tasklane.domain.models import Priority, Status, format_time, utc_now
from tasklane.domain.profiles import DEFAULT_TIME_ZONE, Identity
from tasklane.domain.search import Counts, ProjectStats, Stats

if TYPE_CHECKING:
    from tasklane.domain.ports.relational import Relational
    from tasklane.logic.profiles import ProfileService


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # validated on write; this only guards old rows
        return ZoneInfo(DEFAULT_TIME_ZONE)


def day_and_week(
    now: datetime, zone_name: str
) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """[start, end) of the local day and of the local ISO week (Monday first), as aware
    datetimes. Across a DST change a day is 23 or 25 hours long: midnights are computed in
    local time, never by adding 24 hours to an instant."""
    zone = _zone(zone_name)
    local = now.astimezone(zone)
    today = local.date()
    monday = today - timedelta(days=today.weekday())

    def midnight(d: object) -> datetime:
        return datetime.combine(d, time(0), tzinfo=zone)  # type: ignore[arg-type]

    day = (midnight(today), midnight(today + timedelta(days=1)))
    week = (midnight(monday), midnight(monday + timedelta(days=7)))
    return day, week


class StatsService:
    def __init__(
        self,
        database: Relational,
        profiles: ProfileService,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._profiles = profiles
        self._clock = clock

    def stats(self, identity: Identity) -> Stats:
        now = self._clock()
        with self._database.transaction() as tx:
            zone = self._profiles.time_zone(tx, identity)
            day, week = day_and_week(now, zone)
            rows = tx.search.stats(identity.sub, now, day, week)
        projects: dict[str, ProjectStats] = {}
        total = Counts()
        for row in rows:
            entry = projects.setdefault(
                row.project_id,
                ProjectStats(project_id=row.project_id, name=row.name or "", counts=Counts()),
            )
            if row.status is None or row.priority is None or row.count == 0:
                continue
            counts = Counts(
                total=row.count,
                by_status={**dict.fromkeys(Status, 0), Status(row.status): row.count},
                by_priority={**dict.fromkeys(Priority, 0), Priority(row.priority): row.count},
                overdue=row.overdue,
                due_today=row.due_today,
                due_this_week=row.due_week,
            )
            entry.counts.add(counts)
            total.add(counts)
        ordered = sorted(projects.values(), key=lambda p: (p.name.casefold(), p.project_id))
        return Stats(time_zone=zone, as_of=format_time(now), total=total, projects=ordered)
