"""A user's calendar feed (RFC 5545): one event per open task with a due date.

**VEVENT, not VTODO.** The feed is for the calendars people read their days in: Google
Calendar and Outlook show a subscribed feed's events and ignore its to-dos, and Apple
Calendar shows VTODOs only through CalDAV reminders. A task is an event *at* its due time:
``DTSTART`` is the due instant and there is no ``DTEND`` (RFC 5545 3.6.1: the event then ends
when it starts), ``TRANSP:TRANSPARENT`` so a due date never shows the user as busy.

**Times.** Due dates are instants, written in UTC (``…Z``, RFC 5545 3.3.5 form 2), which
needs no ``VTIMEZONE`` and cannot go wrong across daylight-saving changes; every client
shows them in its own zone. The user's zone names the calendar's zone
(``X-WR-TIMEZONE``, read by Google and Apple) and is used to write the due time in words in
the description.

**Stable.** ``UID`` is the task's id; ``SEQUENCE`` follows the task's version and
``LAST-MODIFIED`` its last change, so a calendar updates an event in place instead of
adding one. Text is escaped (backslash, semicolon, comma, line breaks) and every line
folded at 75 octets, never inside a UTF-8 character; lines end with CRLF.

Written by hand rather than with the ``icalendar`` package: a feed is a flat list of a few
properties, written as a stream in the api function, which should not import a parser
library for it; the tests parse every feed with ``icalendar``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from tasklane.domain.exchange.calendar import CalendarTask
from tasklane.domain.models import Priority
from tasklane.logic.exchange.dates import zone

PRODUCT_ID = "-//Tasklane//Calendar feed 1.0//EN"
MAX_LINE_OCTETS = 75
#: RFC 5545 PRIORITY: 1 highest, 9 lowest, 0 undefined.
PRIORITY: dict[Priority, int] = {
    Priority.urgent: 1,
    Priority.high: 3,
    Priority.medium: 5,
    Priority.low: 9,
}
REFRESH = "PT1H"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, line breaks as ``\\n``;
    other control characters (which TEXT cannot hold) dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into physical lines of at most 75 octets (the continuation's
    leading space included), never inside a UTF-8 sequence; CRLF between and after."""
    out: list[str] = []
    current: list[str] = []
    used = 0
    for char in line:
        size = len(char.encode())
        if used + size > MAX_LINE_OCTETS:
            out.append("".join(current))
            current, used = [" "], 1
        current.append(char)
        used += size
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(task: CalendarTask, where: str, web_url: str, stamp: str) -> Iterator[str]:
    link = f"{web_url.rstrip('/')}/tasks/{task.id}"
    local = task.due_at.astimezone(zone(where))
    details = [task.description.strip()] if task.description.strip() else []
    details += [
        f"Due {local:%a %d %b %Y %H:%M} ({where})",
        f"Project: {task.project_name}",
        link,
    ]
    yield "BEGIN:VEVENT"
    yield f"UID:task-{task.id}@tasklane"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART:{_utc(task.due_at)}"
    yield f"SUMMARY:{escape_text(task.title)}"
    yield f"DESCRIPTION:{escape_text(chr(10).join(details))}"
    yield f"URL:{link}"
    if task.labels:
        yield "CATEGORIES:" + ",".join(escape_text(label) for label in task.labels)
    yield f"PRIORITY:{PRIORITY[task.priority]}"
    yield f"SEQUENCE:{max(task.version - 1, 0)}"
    yield f"LAST-MODIFIED:{_utc(task.updated_at)}"
    yield "STATUS:CONFIRMED"
    yield "TRANSP:TRANSPARENT"
    yield "CLASS:PRIVATE"
    yield "END:VEVENT"


def feed_lines(
    tasks: Iterable[CalendarTask],
    *,
    time_zone: str,
    web_url: str,
    now: datetime,
    max_events: int,
    name: str = "Tasklane",
) -> Iterator[str]:
    """The feed's content lines, unfolded. ``tasks`` should come soonest first: the first
    ``max_events`` are written."""
    zone(time_zone)  # an unknown zone fails here, before anything is written
    stamp = _utc(now)
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:{PRODUCT_ID}"
    yield "CALSCALE:GREGORIAN"
    yield "METHOD:PUBLISH"
    yield f"NAME:{escape_text(name)}"
    yield f"X-WR-CALNAME:{escape_text(name)}"
    yield f"X-WR-TIMEZONE:{time_zone}"
    yield f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"
    yield f"X-PUBLISHED-TTL:{REFRESH}"
    for task in islice(tasks, max_events):
        yield from _event(task, time_zone, web_url, stamp)
    yield "END:VCALENDAR"


def render_feed(
    tasks: Iterable[CalendarTask],
    *,
    time_zone: str,
    web_url: str,
    now: datetime,
    max_events: int,
    name: str = "Tasklane",
) -> bytes:
    """The whole feed (``text/calendar; charset=utf-8``)."""
    lines = feed_lines(
        tasks, time_zone=time_zone, web_url=web_url, now=now, max_events=max_events, name=name
    )
    return "".join(fold(line) for line in lines).encode()
