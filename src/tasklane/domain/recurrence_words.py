"""A recurrence rule in plain English, for the picker and the task drawer: "Every
weekday", "Every 2 weeks on Mon and Thu", "Monthly on the last Friday"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import Field

from tasklane.domain.base import Model
from tasklane.domain.models import format_time
from tasklane.domain.recurrence import (
    Day,
    Frequency,
    Rule,
    check_repeats,
    local_wall_time,
    parse_rule,
    preview,
    zone,
)

_WORKDAYS = frozenset(range(5))
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _join(words: list[str], conjunction: str = "and") -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _nth(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _from_end(count: int, thing: str) -> str:
    """-1 day → "the last day", -2 → "the second-to-last day"."""
    return (
        f"the last {thing}"
        if count == 1
        else f"the {_ORDINAL_WORDS.get(count, _nth(count))}-to-last {thing}"
    )


def _month_day_words(day: int) -> str:
    return f"the {_nth(day)}" if day > 0 else _from_end(-day, "day")


def _day_words(day: Day) -> str:
    name = _LONG_DAYS[day.weekday]
    if day.ordinal is None:
        return f"every {name}"
    if day.ordinal > 0:
        return f"the {_ORDINAL_WORDS[day.ordinal]} {name}"
    return _from_end(-day.ordinal, name)


def _every(rule: Rule, unit: str, adverb: str) -> str:
    return adverb if rule.interval == 1 else f"Every {rule.interval} {unit}s"


def _date_words(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def describe(rule: Rule, start: datetime | None = None, tz: ZoneInfo | None = None) -> str:
    """The rule in plain English: "Every weekday", "Every 2 weeks on Mon and Thu", "Monthly
    on the last Friday". ``start`` (the due date) names what the rule leaves to it (the
    weekday of a weekly rule, the day of a monthly or yearly one); ``tz`` is the zone for
    both ``start`` and a UTC ``UNTIL`` (UTC if not given)."""
    tz = tz or ZoneInfo("UTC")
    local = local_wall_time(start, tz) if start is not None else None
    weekdays = {day.weekday for day in rule.days}
    short = _join([_SHORT_DAYS[d] for d in sorted(weekdays)])
    if rule.frequency is Frequency.daily:
        if not weekdays or len(weekdays) == 7:
            words = _every(rule, "day", "Daily")
        elif weekdays == _WORKDAYS:
            words = "Every weekday"
        else:
            words = f"Weekly on {short}"
    elif rule.frequency is Frequency.weekly:
        words = _every(rule, "week", "Weekly")
        if rule.interval == 1 and weekdays == _WORKDAYS:
            words = "Every weekday"
        elif rule.interval == 1 and len(weekdays) == 7:
            words = "Daily"
        elif weekdays:
            words += f" on {short}"
        elif local is not None:
            words += f" on {_SHORT_DAYS[local.weekday()]}"
    elif rule.frequency is Frequency.monthly:
        words = _every(rule, "month", "Monthly")
        if rule.month_days and rule.days:
            names = _join([_LONG_DAYS[d] for d in sorted(weekdays)], "or")
            words += f" on {_join([_month_day_words(d) for d in rule.month_days])} if a {names}"
        elif rule.month_days:
            words += f" on {_join([_month_day_words(d) for d in rule.month_days])}"
        elif rule.days:
            words += f" on {_join([_day_words(d) for d in rule.days])}"
        elif local is not None:
            words += f" on the {_nth(local.day)}"
    else:
        words = _every(rule, "year", "Yearly")
        if local is not None:
            words += f" on {local.day} {_MONTHS[local.month - 1]}"
    if rule.count is not None:
        words += ", once" if rule.count == 1 else f", {rule.count} times"
    elif isinstance(rule.until, datetime):
        words += f", until {_date_words(rule.until.astimezone(tz).date())}"
    elif rule.until is not None:
        words += f", until {_date_words(rule.until)}"
    return words


class RecurrencePreview(Model):
    """What the recurrence picker shows before a rule is saved."""

    rule: str = Field(description="The rule in canonical form (as a task would store it).")
    description: str = Field(description='In plain words: "Every 2 weeks on Mon and Thu".')
    next: list[str] = Field(description="The next three due dates after `due_at` (UTC).")


def preview_rule(text: str, due_at: datetime, time_zone: str) -> RecurrencePreview:
    """A rule as the picker previews it: 422 (InvalidRecurrence) as a task write would."""
    rule = parse_rule(text)
    tz = zone(time_zone)
    check_repeats(rule, due_at, tz)
    return RecurrencePreview(
        rule=str(rule),
        description=describe(rule, due_at, tz),
        next=[format_time(o.due_at) for o in preview(rule, due_at, tz)],
    )
