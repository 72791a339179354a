"""Recurring tasks: an RFC 5545 RRULE subset and its next occurrences (plain words for a
rule: :mod:`tasklane.domain.recurrence_words`).

A recurring task carries its rule and a :class:`Series` (which occurrence it is, and when in
the owner's local time). Completing it creates the next occurrence, due at
:func:`next_occurrence`; "skip" moves the task itself there.

**The subset.** ``FREQ`` = ``DAILY``, ``WEEKLY``, ``MONTHLY`` or ``YEARLY``, with ``INTERVAL``
(1-99), ``BYDAY`` (``MO``…``SU``; with ``MONTHLY`` also ordinals such as ``1MO`` or ``-1FR``),
``BYMONTHDAY`` (``MONTHLY`` only; 1-31 or -1…-31 from the end) and one of ``COUNT`` (1-1000)
or ``UNTIL`` (a date ``YYYYMMDD``, meaning through that local day, or a UTC time
``YYYYMMDDTHHMMSSZ``). Anything denser than daily, and the parts that would need it or that
we do not support (``BYHOUR``, ``BYMINUTE``, ``BYSECOND``, ``BYSETPOS``, ``BYMONTH``,
``BYYEARDAY``, ``BYWEEKNO``, ``WKST``), is refused with a reason. :func:`parse_rule` checks
the parts strictly, then python-dateutil parses the rule (``rrulestr``) and does every date
computation; this module only decides what is allowed and what local time means.

**Time.** A rule is interpreted in an IANA time zone (the owner's, stored with the series so
that completing a task needs no profile lookup). Occurrences are computed on local wall
times and only then turned into instants, so a Monday 09:00 task stays at 09:00 local
across daylight-saving changes. The time of day is the due date's, to the second.

**Local times that do not exist or exist twice** (RFC 5545, section 3.3.5, and Python's
``fold=0``): a wall time skipped by a spring-forward change is read with the offset before
the change (02:30 on the night Berlin skips 02:00-03:00 falls due at 03:30 CEST); a wall time
that occurs twice (autumn) means its first occurrence (the daylight-saving one). The series
keeps the wall time the rule gave (:attr:`Occurrence.local`), not the shifted one, so the
next occurrence is at 02:30 again.

**Anchoring.** Each occurrence is computed from the previous one (its local wall time is the
rule's ``DTSTART``): weekly rules without ``BYDAY`` keep the due date's weekday, monthly ones
its day of the month, yearly ones its date (29 February: every leap year). ``COUNT`` counts
occurrences from the first task of the series (:attr:`Series.number`), ``UNTIL`` bounds them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field
from ulid import ULID

from tasklane.domain import patterns
from tasklane.domain.base import Model
from tasklane.domain.errors import ValidationFailed
from tasklane.domain.ids import split_task_id
from tasklane.domain.zones import check_time_zone

if TYPE_CHECKING:
    from dateutil.rrule import rrule

MAX_RULE_CHARS = 300
MAX_INTERVAL = 99
MAX_COUNT = 1000
#: Occurrences beyond this year are not created: due dates must fit the API's range.
_LAST_YEAR = 9998
#: BYDAY ordinals in MONTHLY rules: 1..5 and -1..-5 ("the fifth Friday", "the last Monday").
_MAX_ORDINAL = 5

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_INT = re.compile(r"[0-9]{1,4}")
_BYDAY = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_MONTH_DAY = re.compile(r"[+-]?[0-9]{1,2}")
_UNTIL = re.compile(r"([0-9]{8})(T[0-9]{6}Z)?")

#: Parts refused with the reason a user can act on.
_UNSUPPORTED = {
    "BYHOUR": "the time of day comes from the due date",
    "BYMINUTE": "the time of day comes from the due date",
    "BYSECOND": "the time of day comes from the due date",
    "BYSETPOS": "pick the days with BYDAY ordinals (e.g. -1FR) or BYMONTHDAY instead",
    "BYMONTH": "a yearly task repeats on its due date's month and day",
    "BYYEARDAY": "a yearly task repeats on its due date's month and day",
    "BYWEEKNO": "a yearly task repeats on its due date's month and day",
    "WKST": "weeks start on Monday",
    "DTSTART": "the series starts at the task's due date",
}
_TOO_FREQUENT = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})


class Frequency(StrEnum):
    daily = "DAILY"
    weekly = "WEEKLY"
    monthly = "MONTHLY"
    yearly = "YEARLY"


class InvalidRecurrence(ValidationFailed):
    """422: the rule is malformed (``invalid``), denser than daily (``too_frequent``), uses a
    part we do not support (``unsupported``) or never repeats (``never_repeats``);
    ``details.reason`` says which."""

    code = "invalid_recurrence"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, {"reason": reason})


@dataclass(frozen=True, slots=True, order=True)
class Day:
    """A ``BYDAY`` entry: a weekday (0 = Monday) and, in monthly rules, which one of the
    month (1 = first, -1 = last; None = every)."""

    weekday: int
    ordinal: int | None = None

    def __str__(self) -> str:
        return f"{self.ordinal or ''}{WEEKDAYS[self.weekday]}"


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated rule. ``str(rule)`` is its canonical RRULE text (what is stored)."""

    frequency: Frequency
    interval: int = 1
    days: tuple[Day, ...] = ()
    month_days: tuple[int, ...] = ()
    count: int | None = None
    #: A ``date``: through that local day. A ``datetime`` (UTC): up to that instant.
    until: date | datetime | None = None

    def __str__(self) -> str:
        parts = [f"FREQ={self.frequency.value}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.days:
            parts.append("BYDAY=" + ",".join(map(str, self.days)))
        if self.month_days:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.month_days)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if isinstance(self.until, datetime):
            parts.append(f"UNTIL={self.until:%Y%m%dT%H%M%S}Z")
        elif self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)

    def _dateutil(self, start: datetime) -> rrule:
        """dateutil's rule from ``start`` (naive local wall time), without COUNT and UNTIL:
        this module applies those to occurrence numbers and instants."""
        # Imported here: dateutil.rrule costs ~8 ms of import, which a Lambda then pays on
        # the first request that uses a rule, not on every cold start of the function.
        from dateutil.rrule import rrule, rrulestr

        parsed = rrulestr(str(self), dtstart=start, ignoretz=True)
        assert isinstance(parsed, rrule)  # one RRULE line, never a set
        return parsed.replace(count=None, until=None)


# -- parsing ---------------------------------------------------------------------------------
def _invalid(message: str) -> InvalidRecurrence:
    return InvalidRecurrence("invalid", message)


def _split_parts(text: str) -> dict[str, str]:
    if len(text) > MAX_RULE_CHARS:
        raise _invalid(f"must be at most {MAX_RULE_CHARS} characters")
    text = text.strip().upper()
    if "\n" in text or "\r" in text:
        raise _invalid("must be one RRULE line, without DTSTART or other properties")
    text = text.removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for part in filter(None, text.split(";")):
        name, equals, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name or not value:
            raise _invalid(f"{part!r} is not NAME=VALUE")
        if name in parts:
            raise _invalid(f"{name} is given twice")
        parts[name] = value
    return parts


def _integer(name: str, value: str, low: int, high: int) -> int:
    if not _INT.fullmatch(value) or not low <= int(value) <= high:
        raise _invalid(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _frequency(parts: dict[str, str]) -> Frequency:
    value = parts.get("FREQ")
    if value is None:
        raise _invalid("FREQ is missing (DAILY, WEEKLY, MONTHLY or YEARLY)")
    if value in _TOO_FREQUENT:
        raise InvalidRecurrence(
            "too_frequent", f"FREQ={value} repeats more often than daily; DAILY is the most often"
        )
    try:
        return Frequency(value)
    except ValueError:
        raise _invalid("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY") from None


def _days(value: str, frequency: Frequency, interval: int) -> tuple[Day, ...]:
    if frequency is Frequency.yearly:
        raise InvalidRecurrence(
            "unsupported", "BYDAY is not supported with FREQ=YEARLY (it would need BYMONTH)"
        )
    if frequency is Frequency.daily and interval != 1:
        # Every n days on some weekdays only: with n a multiple of 7 it may never occur.
        raise InvalidRecurrence(
            "unsupported",
            "BYDAY with FREQ=DAILY needs INTERVAL=1; for every n weeks use FREQ=WEEKLY",
        )
    days: set[Day] = set()
    for token in value.split(","):
        match = _BYDAY.fullmatch(token)
        if not match:
            raise _invalid(f"BYDAY: {token!r} is not a weekday such as MO or -1FR")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None:
            if frequency is not Frequency.monthly:
                raise _invalid(f"BYDAY: {token} numbers a weekday, which needs FREQ=MONTHLY")
            if ordinal == 0 or abs(ordinal) > _MAX_ORDINAL:
                raise _invalid(f"BYDAY: {token} must number the weekday 1 to 5 or -1 to -5")
        days.add(Day(WEEKDAYS.index(match.group(2)), ordinal))
    return tuple(sorted(days, key=lambda d: (d.weekday, d.ordinal or 0)))


def _month_days(value: str, frequency: Frequency) -> tuple[int, ...]:
    if frequency is not Frequency.monthly:
        raise InvalidRecurrence("unsupported", "BYMONTHDAY is supported with FREQ=MONTHLY only")
    days: set[int] = set()
    for token in value.split(","):
        if not _MONTH_DAY.fullmatch(token) or not 1 <= abs(int(token)) <= 31:
            raise _invalid(f"BYMONTHDAY: {token!r} must be 1 to 31 or -1 to -31")
        days.add(int(token))
    # Days from the start first, then those counted from the end (-1 = the last).
    return tuple(sorted(days, key=lambda d: (d < 0, abs(d) if d < 0 else d)))


def _until(value: str) -> date | datetime:
    match = _UNTIL.fullmatch(value)
    if not match:
        raise _invalid("UNTIL must be a date (YYYYMMDD) or a UTC time (YYYYMMDDTHHMMSSZ)")
    try:
        if match.group(2):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            year = moment.year
        else:
            day = datetime.strptime(value, "%Y%m%d").date()
            year = day.year
    except ValueError:
        raise _invalid(f"UNTIL: {value} is not a real date") from None
    if not 1970 <= year <= _LAST_YEAR:
        raise _invalid(f"UNTIL must fall in the years 1970-{_LAST_YEAR}")
    return moment if match.group(2) else day


def parse_rule(text: str) -> Rule:
    """The rule in ``text`` (an RRULE value, optionally prefixed ``RRULE:``), validated.

    InvalidRecurrence (422) names the first problem found.
    """
    parts = _split_parts(text)
    for name in parts:
        if name in _UNSUPPORTED:
            raise InvalidRecurrence("unsupported", f"{name} is not supported: {_UNSUPPORTED[name]}")
        if name not in {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"}:
            raise _invalid(f"{name} is not an RRULE part")
    frequency = _frequency(parts)
    interval = (
        _integer("INTERVAL", parts["INTERVAL"], 1, MAX_INTERVAL) if "INTERVAL" in parts else 1
    )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid("COUNT and UNTIL cannot both be given")
    rule = Rule(
        frequency=frequency,
        interval=interval,
        days=_days(parts["BYDAY"], frequency, interval) if "BYDAY" in parts else (),
        month_days=_month_days(parts["BYMONTHDAY"], frequency) if "BYMONTHDAY" in parts else (),
        count=_integer("COUNT", parts["COUNT"], 1, MAX_COUNT) if "COUNT" in parts else None,
        until=_until(parts["UNTIL"]) if "UNTIL" in parts else None,
    )
    try:
        # dateutil parses the canonical text: anything it cannot read is refused here, not
        # when the first task of the series is completed.
        rule._dateutil(datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise _invalid(f"not a valid RRULE: {exc}") from None
    return rule


def _canonical_rule(value: str) -> str:
    try:
        return str(parse_rule(value))
    except InvalidRecurrence as exc:
        raise ValueError(exc.message) from None


RULE_DESCRIPTION = (
    "An RFC 5545 RRULE: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, BYDAY (ordinals "
    "such as -1FR with MONTHLY), BYMONTHDAY, and COUNT or UNTIL; in the canonical order the "
    "pattern gives (the API also reads other orders, lower case and an `RRULE:` prefix). "
    "A rule that gives no occurrence after the due date is 422 `never_repeats`."
)
RULE_EXAMPLE = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"

#: An RRULE in an input model: validated, then stored and returned in canonical form. The
#: document states the canonical form (tasklane.domain.patterns.rrule).
RuleText = Annotated[
    str,
    Field(
        max_length=MAX_RULE_CHARS,
        description=RULE_DESCRIPTION,
        examples=[RULE_EXAMPLE],
        json_schema_extra={"pattern": patterns.rrule()},
    ),
    AfterValidator(_canonical_rule),
]


#: The OpenAPI schema of a task create: a task that repeats needs a due date (422 otherwise).
NEEDS_DUE_DATE: dict[str, Any] = {
    "if": {"required": ["recurrence"], "properties": {"recurrence": {"type": "string"}}},
    "then": {"required": ["due_at"], "properties": {"due_at": {"type": "string"}}},
    "examples": [
        {
            "title": "Water the plants",
            "due_at": "2026-12-07T09:00:00+01:00",
            "recurrence": RULE_EXAMPLE,
            "time_zone": "Europe/Berlin",
        }
    ],
}


#: Of a task patch: one that sets a rule cannot clear the due date in the same breath (422);
#: whether the task has one already is the task's business.
KEEPS_DUE_DATE: dict[str, Any] = {
    "if": NEEDS_DUE_DATE["if"],
    "then": {"properties": {"due_at": {"type": "string"}}},
    "examples": [{"due_at": "2026-12-07T09:00:00+01:00", "recurrence": RULE_EXAMPLE}],
}


# -- occurrences ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a series."""

    #: 1 for the series' first task; COUNT bounds it.
    number: int
    #: The wall time the rule gives, in the series' time zone (naive, whole seconds).
    local: datetime
    #: When it falls due (UTC). Differs from ``local`` read in the zone only for wall times
    #: a daylight-saving change skips (they fall due after the change).
    due_at: datetime


def zone(time_zone: str) -> ZoneInfo:
    """The IANA zone (ValueError for anything else, such as a file path)."""
    return ZoneInfo(check_time_zone(time_zone))


def local_wall_time(instant: datetime, tz: ZoneInfo) -> datetime:
    """An instant as naive local wall time, to the second."""
    return instant.astimezone(tz).replace(tzinfo=None, microsecond=0, fold=0)


def due_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant: the first of two (autumn), and for a skipped one
    (spring) the offset before the change. That is ``fold=0`` (PEP 495) and RFC 5545 3.3.5."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def first_occurrence(due_at: datetime, tz: ZoneInfo) -> Occurrence:
    """The occurrence a task due at ``due_at`` stands for when its series starts (or when its
    due date is changed by hand: the series then continues from the new date)."""
    local = local_wall_time(due_at, tz)
    return Occurrence(number=1, local=local, due_at=due_instant(local, tz))


def _within_until(rule: Rule, wall: datetime, due_at: datetime) -> bool:
    if isinstance(rule.until, datetime):
        return due_at <= rule.until
    if rule.until is not None:
        return wall.date() <= rule.until
    return True


def occurrences_after(rule: Rule, current: Occurrence, tz: ZoneInfo) -> Iterator[Occurrence]:
    """The occurrences that follow ``current``, in order, until COUNT or UNTIL ends the
    series (or the years run out). Lazy: take what you need."""
    number = current.number
    for wall in rule._dateutil(current.local).xafter(current.local, inc=False):
        number += 1
        if rule.count is not None and number > rule.count:
            return
        if wall.year > _LAST_YEAR:
            return
        due_at = due_instant(wall, tz)
        if not _within_until(rule, wall, due_at):
            return
        yield Occurrence(number=number, local=wall, due_at=due_at)


def next_occurrence(rule: Rule, current: Occurrence, tz: ZoneInfo) -> Occurrence | None:
    """The occurrence after ``current`` (the one being completed or skipped), or None when
    the series has ended."""
    return next(occurrences_after(rule, current, tz), None)


def preview(rule: Rule, due_at: datetime, tz: ZoneInfo, count: int = 3) -> list[Occurrence]:
    """The next ``count`` occurrences after a task due at ``due_at`` (for the picker)."""
    upcoming = occurrences_after(rule, first_occurrence(due_at, tz), tz)
    return [occurrence for occurrence, _ in zip(upcoming, range(count), strict=False)]


def check_repeats(rule: Rule, due_at: datetime, tz: ZoneInfo) -> None:
    """Refuse a rule that gives no occurrence after the task's due date (COUNT=1, an UNTIL
    before it, or days that never come such as the 31st every 12 months from April)."""
    if next_occurrence(rule, first_occurrence(due_at, tz), tz) is None:
        raise InvalidRecurrence(
            "never_repeats", "the rule gives no occurrence after the task's due date"
        )


# -- the state a recurring task carries -------------------------------------------------------
class Series(Model):
    """Stored on a recurring task (and shown by the API): its rule, the zone it is read in,
    and which occurrence the task is."""

    rule: str = Field(description="The RRULE, in canonical form.")
    time_zone: str = Field(description="The IANA time zone the rule is read in.")
    number: int = Field(ge=1, description="Which occurrence of the series this task is.")
    local_due: str = Field(
        description="The occurrence's local wall time (ISO 8601, no offset): the time the "
        "rule gives, kept even where a daylight-saving change moved the due instant."
    )

    def occurrence(self, due_at: datetime) -> Occurrence:
        return Occurrence(self.number, datetime.fromisoformat(self.local_due), due_at)


def start_series(rule: Rule, due_at: datetime, time_zone: str) -> Series:
    """A task's series from its due date: InvalidRecurrence if the rule never repeats."""
    tz = zone(time_zone)
    check_repeats(rule, due_at, tz)
    first = first_occurrence(due_at, tz)
    return Series(rule=str(rule), time_zone=time_zone, number=1, local_due=first.local.isoformat())


def advance(series: Series, due_at: datetime) -> tuple[Series, datetime] | None:
    """The next occurrence's series state and due date (UTC), after the occurrence a task
    due at ``due_at`` stands for; None when the series has ended. Completing creates a
    task with these; skipping moves the task itself to them."""
    rule = parse_rule(series.rule)
    following = next_occurrence(rule, series.occurrence(due_at), zone(series.time_zone))
    if following is None:
        return None
    state = series.model_copy(
        update={"number": following.number, "local_due": following.local.isoformat()}
    )
    return state, following.due_at


def reanchor(series: Series, due_at: datetime) -> Series:
    """The series after a user set the task's due date by hand: it continues from the new
    date (same occurrence number), so its wall time becomes the rule's time of day."""
    local = local_wall_time(due_at, zone(series.time_zone))
    return series.model_copy(update={"local_due": local.isoformat()})


def next_task_id(task_id: str) -> str:
    """The id of the task that follows ``task_id`` in its series: derived, not drawn, so a
    retried or concurrent completion writes the same item (a conditional put refuses the
    second). Its ULID time is the predecessor's plus 1 ms, so it sorts right after it."""
    parts = split_task_id(task_id)
    if parts is None:
        raise ValueError(f"{task_id!r} is not a task id")
    project_id, task_ulid = parts
    millis = ULID.from_str(task_ulid.upper()).milliseconds + 1
    digest = hashlib.sha256(f"next:{task_id}".encode()).digest()[:10]
    return f"{project_id}-{str(ULID.from_bytes(millis.to_bytes(6, 'big') + digest)).lower()}"
