"""Plain words for recurrence rules (tasklane.domain.recurrence_words)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tasklane.domain.recurrence import parse_rule
from tasklane.domain.recurrence_words import describe

BERLIN = ZoneInfo("Europe/Berlin")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY", "Daily"),
        ("FREQ=DAILY;INTERVAL=3", "Every 3 days"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
        ("FREQ=DAILY;BYDAY=SA,SU", "Weekly on Sat and Sun"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "Daily"),
        ("FREQ=WEEKLY", "Weekly"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Every 2 weeks on Mon and Thu"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "Weekly on Mon, Wed and Fri"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR",
            "Every 2 weeks on Mon, Tue, Wed, Thu and Fri",
        ),
        ("FREQ=MONTHLY", "Monthly"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Monthly on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=1MO", "Monthly on the first Monday"),
        ("FREQ=MONTHLY;BYDAY=-2TH", "Monthly on the second-to-last Thursday"),
        ("FREQ=MONTHLY;BYDAY=2TU,4TU", "Monthly on the second Tuesday and the fourth Tuesday"),
        ("FREQ=MONTHLY;BYDAY=FR", "Monthly on every Friday"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Monthly on the 1st and the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day"),
        ("FREQ=MONTHLY;BYMONTHDAY=-3", "Monthly on the third-to-last day"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=22", "Every 3 months on the 22nd"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=11,12,13,21,23",
            "Monthly on the 11th, the 12th, the 13th, the 21st and the 23rd",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", "Monthly on the 13th if a Friday"),
        ("FREQ=YEARLY", "Yearly"),
        ("FREQ=YEARLY;INTERVAL=2", "Every 2 years"),
        ("FREQ=WEEKLY;COUNT=10", "Weekly, 10 times"),
        ("FREQ=WEEKLY;COUNT=1", "Weekly, once"),
        ("FREQ=DAILY;UNTIL=20261231", "Daily, until 31 Dec 2026"),
    ],
)
def test_rules_in_plain_words(rule: str, words: str) -> None:
    assert describe(parse_rule(rule)) == words


def test_plain_words_name_what_the_due_date_decides() -> None:
    due = utc("2028-02-29T23:30")  # 1 March 00:30 in Berlin
    assert describe(parse_rule("FREQ=WEEKLY"), due, BERLIN) == "Weekly on Wed"
    assert describe(parse_rule("FREQ=MONTHLY"), due, BERLIN) == "Monthly on the 1st"
    assert describe(parse_rule("FREQ=YEARLY"), due, BERLIN) == "Yearly on 1 Mar"
    assert describe(parse_rule("FREQ=YEARLY"), due) == "Yearly on 29 Feb"
    # A UTC UNTIL is shown as the owner's local date.
    until = parse_rule("FREQ=DAILY;UNTIL=20261231T230000Z")
    assert describe(until, tz=BERLIN) == "Daily, until 1 Jan 2027"
    assert describe(until) == "Daily, until 31 Dec 2026"
