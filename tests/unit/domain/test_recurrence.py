"""Recurring tasks (tasklane.domain.recurrence): which rules are accepted, where the next
occurrences fall in the owner's time zone, and how a rule reads in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tasklane.domain.errors import ValidationFailed
from tasklane.domain.ids import new_project_id, new_task_id, split_task_id
from tasklane.domain.recurrence import (
    MAX_RULE_CHARS,
    Day,
    Frequency,
    InvalidRecurrence,
    Occurrence,
    RuleText,
    Series,
    advance,
    check_repeats,
    due_instant,
    first_occurrence,
    next_occurrence,
    next_task_id,
    occurrences_after,
    parse_rule,
    preview,
    reanchor,
    start_series,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text)


def walls(rule: str, due_at: datetime, tz: ZoneInfo, count: int) -> list[datetime]:
    return [o.local for o in preview(parse_rule(rule), due_at, tz, count)]


def dues(rule: str, due_at: datetime, tz: ZoneInfo, count: int) -> list[datetime]:
    return [o.due_at for o in preview(parse_rule(rule), due_at, tz, count)]


# -- parsing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("FREQ=DAILY", "FREQ=DAILY"),
        ("rrule:freq=weekly;byday=th,mo;interval=2", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=FR,MO,FR", "FREQ=WEEKLY;BYDAY=MO,FR"),
        (" FREQ=MONTHLY;BYDAY=-1FR; ", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=MONTHLY;BYDAY=+1MO,-1MO,MO", "FREQ=MONTHLY;BYDAY=-1MO,MO,1MO"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1,15,1", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"),
        ("FREQ=YEARLY;COUNT=5", "FREQ=YEARLY;COUNT=5"),
        ("FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231"),
        ("FREQ=DAILY;UNTIL=20261231T225959Z", "FREQ=DAILY;UNTIL=20261231T225959Z"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ],
)
def test_rules_are_stored_in_one_canonical_form(text: str, canonical: str) -> None:
    rule = parse_rule(text)
    assert str(rule) == canonical
    assert parse_rule(canonical) == rule


def test_a_parsed_rule_exposes_its_parts() -> None:
    rule = parse_rule("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR,2TU;COUNT=4")
    assert rule.frequency is Frequency.monthly
    assert rule.interval == 3
    assert rule.days == (Day(1, 2), Day(4, -1))
    assert rule.count == 4
    assert parse_rule("FREQ=DAILY;UNTIL=20261231").until == date(2026, 12, 31)
    assert parse_rule("FREQ=DAILY;UNTIL=20261231T120000Z").until == utc("2026-12-31T12:00")


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("FREQ=HOURLY", "too_frequent", "more often than daily"),
        ("FREQ=MINUTELY;INTERVAL=30", "too_frequent", "more often than daily"),
        ("FREQ=SECONDLY", "too_frequent", "more often than daily"),
        ("FREQ=DAILY;BYHOUR=9", "unsupported", "BYHOUR is not supported: the time of day"),
        ("FREQ=DAILY;BYMINUTE=0", "unsupported", "BYMINUTE is not supported"),
        ("FREQ=DAILY;BYSECOND=0", "unsupported", "BYSECOND is not supported"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "unsupported", "BYSETPOS"),
        ("FREQ=YEARLY;BYMONTH=2", "unsupported", "BYMONTH is not supported"),
        ("FREQ=YEARLY;BYYEARDAY=100", "unsupported", "BYYEARDAY"),
        ("FREQ=YEARLY;BYWEEKNO=20", "unsupported", "BYWEEKNO"),
        ("FREQ=WEEKLY;WKST=SU", "unsupported", "weeks start on Monday"),
        ("FREQ=WEEKLY;DTSTART=20260101", "unsupported", "DTSTART"),
        ("FREQ=YEARLY;BYDAY=-1FR", "unsupported", "BYDAY is not supported with FREQ=YEARLY"),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", "unsupported", "needs INTERVAL=1"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "unsupported", "FREQ=MONTHLY only"),
        ("FREQ=DAILY;BYMONTHDAY=1", "unsupported", "FREQ=MONTHLY only"),
        ("", "invalid", "FREQ is missing"),
        ("INTERVAL=2", "invalid", "FREQ is missing"),
        ("FREQ=FORTNIGHTLY", "invalid", "FREQ must be"),
        ("FREQ=WEEKLY;FREQ=DAILY", "invalid", "FREQ is given twice"),
        ("FREQ=WEEKLY;COLOR=RED", "invalid", "COLOR is not an RRULE part"),
        ("FREQ", "invalid", "is not NAME=VALUE"),
        ("FREQ=WEEKLY;INTERVAL=", "invalid", "is not NAME=VALUE"),
        ("FREQ=WEEKLY;INTERVAL=0", "invalid", "INTERVAL must be a whole number from 1 to 99"),
        ("FREQ=WEEKLY;INTERVAL=100", "invalid", "INTERVAL must be"),
        ("FREQ=WEEKLY;INTERVAL=-1", "invalid", "INTERVAL must be"),
        ("FREQ=WEEKLY;INTERVAL=two", "invalid", "INTERVAL must be"),
        ("FREQ=WEEKLY;COUNT=0", "invalid", "COUNT must be a whole number from 1 to 1000"),
        ("FREQ=WEEKLY;COUNT=1001", "invalid", "COUNT must be"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "invalid", "COUNT and UNTIL cannot both"),
        ("FREQ=WEEKLY;BYDAY=XX", "invalid", "is not a weekday"),
        ("FREQ=WEEKLY;BYDAY=MO,,TU", "invalid", "is not a weekday"),
        ("FREQ=WEEKLY;BYDAY=MO(+1)", "invalid", "is not a weekday"),
        ("FREQ=WEEKLY;BYDAY=1MO", "invalid", "needs FREQ=MONTHLY"),
        ("FREQ=DAILY;BYDAY=-1FR", "invalid", "needs FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYDAY=6MO", "invalid", "1 to 5 or -1 to -5"),
        ("FREQ=MONTHLY;BYDAY=0MO", "invalid", "1 to 5 or -1 to -5"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "invalid", "1 to 31 or -1 to -31"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "invalid", "1 to 31"),
        ("FREQ=MONTHLY;BYMONTHDAY=-32", "invalid", "1 to 31"),
        ("FREQ=MONTHLY;BYMONTHDAY=last", "invalid", "1 to 31"),
        ("FREQ=DAILY;UNTIL=2026-12-31", "invalid", "UNTIL must be a date"),
        ("FREQ=DAILY;UNTIL=20261231T235959", "invalid", "UNTIL must be a date"),
        ("FREQ=DAILY;UNTIL=20260230", "invalid", "not a real date"),
        ("FREQ=DAILY;UNTIL=19691231", "invalid", "years 1970-9998"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "invalid", "one RRULE line"),
        ("FREQ=DAILY;" + "X" * MAX_RULE_CHARS, "invalid", "at most 300 characters"),
    ],
)
def test_refused_rules_say_why(text: str, reason: str, message: str) -> None:
    with pytest.raises(InvalidRecurrence, match=message.replace("(", r"\(")) as caught:
        parse_rule(text)
    assert caught.value.details == {"reason": reason}
    # A client error with the API's one shape: 422, a code, a reason.
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.status == 422
    assert caught.value.code == "invalid_recurrence"


class _TaskInput(BaseModel):
    recurrence: RuleText


def test_input_models_take_rule_text_and_keep_the_canonical_form() -> None:
    assert _TaskInput(recurrence="freq=weekly;byday=th,mo").recurrence == (
        "FREQ=WEEKLY;BYDAY=MO,TH"
    )
    with pytest.raises(ValidationError, match="more often than daily"):
        _TaskInput(recurrence="FREQ=HOURLY")


# -- daylight saving time ------------------------------------------------------------------------
def test_weekly_at_nine_stays_at_nine_in_berlin_across_both_changes() -> None:
    # Monday 9 March 2026, 09:00 CET. Summer time from 29 March, winter time from 25 October.
    first = utc("2026-03-23T08:00")
    assert walls("FREQ=WEEKLY;BYDAY=MO", first, BERLIN, 2) == [
        local("2026-03-30T09:00"),
        local("2026-04-06T09:00"),
    ]
    assert dues("FREQ=WEEKLY;BYDAY=MO", first, BERLIN, 1) == [utc("2026-03-30T07:00")]
    autumn = utc("2026-10-19T07:00")  # Monday 09:00 CEST
    assert dues("FREQ=WEEKLY", autumn, BERLIN, 2) == [
        utc("2026-10-26T08:00"),  # 09:00 CET
        utc("2026-11-02T08:00"),
    ]


def test_weekly_at_nine_stays_at_nine_in_new_york() -> None:
    # Daylight time from 8 March 2026 (UTC-4), standard time from 1 November (UTC-5).
    first = utc("2026-03-02T14:00")  # Monday 09:00 EST
    assert dues("FREQ=WEEKLY", first, NEW_YORK, 2) == [
        utc("2026-03-09T13:00"),
        utc("2026-03-16T13:00"),
    ]
    autumn = utc("2026-10-26T13:00")  # Monday 09:00 EDT
    assert dues("FREQ=WEEKLY", autumn, NEW_YORK, 1) == [utc("2026-11-02T14:00")]


def test_lord_howe_moves_by_thirty_minutes() -> None:
    # Lord Howe Island: UTC+11 in summer, UTC+10:30 in winter; back on 5 April 2026 at 02:00,
    # forward on 4 October 2026 at 02:00.
    first = utc("2026-04-03T22:00")  # Saturday 4 April, 09:00 +11:00
    assert dues("FREQ=DAILY", first, LORD_HOWE, 2) == [
        utc("2026-04-04T22:30"),  # 09:00 +10:30
        utc("2026-04-05T22:30"),
    ]
    spring = utc("2026-10-02T22:30")  # Saturday 3 October, 09:00 +10:30
    assert dues("FREQ=DAILY", spring, LORD_HOWE, 1) == [utc("2026-10-03T22:00")]


def test_a_skipped_wall_time_falls_due_after_the_change_and_the_series_keeps_its_time() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026 (02:00 -> 03:00): read with the offset
    # before the change (+01:00), it falls due at 01:30 UTC = 03:30 CEST.
    first = utc("2026-03-28T01:30")  # 02:30 CET
    upcoming = preview(parse_rule("FREQ=DAILY"), first, BERLIN, 2)
    assert upcoming[0].local == local("2026-03-29T02:30")
    assert upcoming[0].due_at == utc("2026-03-29T01:30")
    assert upcoming[0].due_at.astimezone(BERLIN).hour == 3
    # The next day is 02:30 again, not 03:30: the series keeps the rule's wall time.
    assert upcoming[1].local == local("2026-03-30T02:30")
    assert upcoming[1].due_at == utc("2026-03-30T00:30")


def test_completing_the_shifted_occurrence_continues_at_the_rule_time() -> None:
    series = start_series(parse_rule("FREQ=DAILY"), utc("2026-03-28T01:30"), "Europe/Berlin")
    moved = advance(series, utc("2026-03-28T01:30"))
    assert moved is not None
    in_gap, due = moved
    assert (in_gap.local_due, due) == ("2026-03-29T02:30:00", utc("2026-03-29T01:30"))
    after = advance(in_gap, due)
    assert after is not None
    assert after[0].local_due == "2026-03-30T02:30:00"
    assert after[1] == utc("2026-03-30T00:30")


@pytest.mark.parametrize(
    ("tz", "wall", "instant"),
    [
        # Skipped: the offset before the change.
        (BERLIN, "2026-03-29T02:30", "2026-03-29T01:30"),
        (NEW_YORK, "2026-03-08T02:30", "2026-03-08T07:30"),
        (LORD_HOWE, "2026-10-04T02:15", "2026-10-03T15:45"),
        # Twice: the first (daylight-saving) one.
        (BERLIN, "2026-10-25T02:30", "2026-10-25T00:30"),
        (NEW_YORK, "2026-11-01T01:30", "2026-11-01T05:30"),
        (LORD_HOWE, "2026-04-05T01:45", "2026-04-04T14:45"),
        # Ordinary.
        (BERLIN, "2026-07-01T09:00", "2026-07-01T07:00"),
    ],
)
def test_wall_times_that_do_not_exist_or_exist_twice(tz: ZoneInfo, wall: str, instant: str) -> None:
    assert due_instant(local(wall), tz) == utc(instant)


def test_an_ambiguous_wall_time_is_due_once_at_its_first_occurrence() -> None:
    # Daily 02:30 in Berlin: on 25 October 2026 it happens twice; the series is due once.
    first = utc("2026-10-24T00:30")  # 02:30 CEST
    assert dues("FREQ=DAILY", first, BERLIN, 2) == [
        utc("2026-10-25T00:30"),  # the first 02:30 (CEST)
        utc("2026-10-26T01:30"),  # 02:30 CET
    ]


# -- month ends, leap years ----------------------------------------------------------------------
def test_the_31st_skips_months_without_one() -> None:
    first = utc("2026-01-31T08:00")  # 09:00 CET
    expected = [local(f"2026-{m}-31T09:00") for m in ("03", "05", "07", "08", "10")]
    assert walls("FREQ=MONTHLY;BYMONTHDAY=31", first, BERLIN, 5) == expected
    # Without BYMONTHDAY the due date's day is the rule's: the same months.
    assert walls("FREQ=MONTHLY", first, BERLIN, 5) == expected


def test_the_last_day_of_the_month() -> None:
    first = utc("2028-01-31T12:00")
    assert [w.date() for w in walls("FREQ=MONTHLY;BYMONTHDAY=-1", first, BERLIN, 4)] == [
        date(2028, 2, 29),  # a leap year
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
    ]


def test_the_last_friday_at_month_ends() -> None:
    first = utc("2026-01-30T16:00")  # the last Friday of January 2026, 17:00 CET
    assert walls("FREQ=MONTHLY;BYDAY=-1FR", first, BERLIN, 5) == [
        local("2026-02-27T17:00"),
        local("2026-03-27T17:00"),
        local("2026-04-24T17:00"),
        local("2026-05-29T17:00"),
        local("2026-06-26T17:00"),
    ]


def test_ordinal_weekdays_and_the_fifth_one() -> None:
    first = utc("2026-01-01T09:00")
    assert [w.date() for w in walls("FREQ=MONTHLY;BYDAY=2TU", first, NEW_YORK, 2)] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
    ]
    # Only some months have a fifth Friday.
    assert [w.date() for w in walls("FREQ=MONTHLY;BYDAY=5FR", first, NEW_YORK, 3)] == [
        date(2026, 1, 30),
        date(2026, 5, 29),
        date(2026, 7, 31),
    ]


def test_the_29th_of_february_repeats_in_leap_years_only() -> None:
    first = utc("2024-02-29T08:00")
    assert [w.date() for w in walls("FREQ=YEARLY", first, BERLIN, 3)] == [
        date(2028, 2, 29),
        date(2032, 2, 29),
        date(2036, 2, 29),
    ]
    # 2100 is not a leap year.
    century = utc("2096-02-29T08:00")
    assert [w.date() for w in walls("FREQ=YEARLY", century, BERLIN, 1)] == [date(2104, 2, 29)]


# -- intervals and weekdays ---------------------------------------------------------------------
def test_every_two_weeks_on_monday_and_thursday() -> None:
    first = utc("2026-01-05T08:00")  # Monday 09:00 CET
    assert [w.date() for w in walls("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", first, BERLIN, 4)] == [
        date(2026, 1, 8),
        date(2026, 1, 19),
        date(2026, 1, 22),
        date(2026, 2, 2),
    ]


def test_every_weekday_skips_the_weekend() -> None:
    friday = utc("2026-01-09T08:00")
    assert [w.date() for w in walls("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", friday, BERLIN, 2)] == [
        date(2026, 1, 12),
        date(2026, 1, 13),
    ]


def test_a_due_date_off_the_rule_goes_to_the_next_matching_day() -> None:
    tuesday = utc("2026-01-06T08:00")
    assert walls("FREQ=WEEKLY;BYDAY=MO", tuesday, BERLIN, 1) == [local("2026-01-12T09:00")]


def test_the_time_of_day_is_kept_to_the_second() -> None:
    first = utc("2026-01-06T08:15:42.500")
    assert walls("FREQ=DAILY", first, BERLIN, 1) == [local("2026-01-07T09:15:42")]


# -- COUNT and UNTIL -----------------------------------------------------------------------------
def test_count_ends_the_series_at_its_number() -> None:
    rule = parse_rule("FREQ=DAILY;COUNT=3")
    first = first_occurrence(utc("2026-01-01T08:00"), BERLIN)
    second = next_occurrence(rule, first, BERLIN)
    assert second is not None
    third = next_occurrence(rule, second, BERLIN)
    assert third is not None
    assert (second.number, third.number) == (2, 3)
    assert next_occurrence(rule, third, BERLIN) is None
    assert len(list(occurrences_after(rule, first, BERLIN))) == 2


def test_count_through_the_stored_series() -> None:
    due = utc("2026-01-05T08:00")
    series = start_series(parse_rule("FREQ=WEEKLY;COUNT=3"), due, "Europe/Berlin")
    numbers = [series.number]
    while (step := advance(series, due)) is not None:
        series, due = step
        numbers.append(series.number)
    assert numbers == [1, 2, 3]
    assert due == utc("2026-01-19T08:00")


def test_until_a_date_includes_that_whole_local_day() -> None:
    # 23:30 Berlin on 5 January is 22:30 UTC on 5 January: still "on" the 5th locally.
    first = utc("2026-01-02T22:30")
    assert [w.date() for w in walls("FREQ=DAILY;UNTIL=20260105", first, BERLIN, 9)] == [
        date(2026, 1, 3),
        date(2026, 1, 4),
        date(2026, 1, 5),
    ]


def test_until_a_utc_time_is_an_instant() -> None:
    first = utc("2026-01-02T22:30")
    assert dues("FREQ=DAILY;UNTIL=20260105T223000Z", first, BERLIN, 9) == [
        utc("2026-01-03T22:30"),
        utc("2026-01-04T22:30"),
        utc("2026-01-05T22:30"),  # exactly UNTIL: included
    ]
    assert len(dues("FREQ=DAILY;UNTIL=20260105T222959Z", first, BERLIN, 9)) == 2


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;COUNT=1",
        "FREQ=DAILY;UNTIL=20251231",
        "FREQ=WEEKLY;UNTIL=20260105T080000Z",
        # From April, every 12 months is always April: it has no 31st.
        "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31",
    ],
)
def test_a_rule_that_never_repeats_after_the_due_date_is_refused(rule: str) -> None:
    due = utc("2026-04-05T08:00")
    with pytest.raises(InvalidRecurrence, match="no occurrence after") as caught:
        check_repeats(parse_rule(rule), due, BERLIN)
    assert caught.value.details == {"reason": "never_repeats"}
    with pytest.raises(InvalidRecurrence):
        start_series(parse_rule(rule), due, "Europe/Berlin")


def test_occurrences_stop_at_the_last_supported_year() -> None:
    rule = parse_rule("FREQ=YEARLY;INTERVAL=99")
    upcoming = preview(rule, utc("9800-06-01T12:00"), BERLIN, 5)
    assert [o.local.year for o in upcoming] == [9899, 9998]


# -- the stored series ---------------------------------------------------------------------------
def test_a_series_starts_at_the_due_date_and_is_plain_data() -> None:
    series = start_series(
        parse_rule("freq=weekly;byday=mo"), utc("2026-03-23T08:00"), "Europe/Berlin"
    )
    assert series == Series(
        rule="FREQ=WEEKLY;BYDAY=MO",
        time_zone="Europe/Berlin",
        number=1,
        local_due="2026-03-23T09:00:00",
    )
    assert Series.model_validate(series.model_dump()) == series
    step = advance(series, utc("2026-03-23T08:00"))
    assert step is not None
    assert step[0].number == 2
    assert step[1] == utc("2026-03-30T07:00")


def test_a_due_date_set_by_hand_moves_the_series() -> None:
    series = start_series(parse_rule("FREQ=WEEKLY"), utc("2026-03-23T08:00"), "Europe/Berlin")
    wednesday = utc("2026-03-25T16:00")
    moved = reanchor(series, wednesday)
    assert (moved.number, moved.local_due) == (1, "2026-03-25T17:00:00")
    step = advance(moved, wednesday)
    assert step is not None
    assert step[1] == utc("2026-04-01T15:00")  # Wednesday 17:00 CEST


def test_a_series_needs_an_iana_zone() -> None:
    with pytest.raises(ValueError, match="IANA"):
        start_series(parse_rule("FREQ=DAILY"), utc("2026-01-01T00:00"), "/etc/localtime")


def test_the_next_task_id_is_derived_and_sorts_after_its_predecessor() -> None:
    project_id = new_project_id()
    task_id = new_task_id(project_id)
    following = next_task_id(task_id)
    assert following == next_task_id(task_id)
    assert following != task_id
    parts = split_task_id(following)
    assert parts is not None
    assert parts[0] == project_id
    assert following > task_id
    assert next_task_id(following) not in (task_id, following)
    with pytest.raises(ValueError, match="not a task id"):
        next_task_id("nope")


# -- properties ----------------------------------------------------------------------------------
_RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=1,-1",
        "FREQ=YEARLY",
    ]
)
_ZONES = st.sampled_from([BERLIN, NEW_YORK, LORD_HOWE])


@settings(max_examples=200, deadline=None)
@given(
    _RULES,
    _ZONES,
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)),
)
def test_occurrences_keep_the_wall_time_and_move_forward(
    text: str, tz: ZoneInfo, start: datetime
) -> None:
    due_at = start.replace(tzinfo=UTC)
    current = first_occurrence(due_at, tz)
    upcoming = preview(parse_rule(text), due_at, tz, 6)
    assert len(upcoming) == 6
    previous: Occurrence = current
    for occurrence in upcoming:
        assert occurrence.local.time() == current.local.time()
        assert occurrence.local > previous.local
        assert occurrence.due_at > previous.due_at
        assert occurrence.number == previous.number + 1
        shown = occurrence.due_at.astimezone(tz).replace(tzinfo=None)
        # Read back in the zone it is the rule's wall time, or later by the skipped hour.
        assert timedelta(0) <= shown - occurrence.local <= timedelta(hours=1)
        previous = occurrence
