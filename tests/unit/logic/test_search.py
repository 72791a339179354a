"""Query parsing, highlighting, time-zone windows: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasklane.logic.search import parse, render_highlight
from tasklane.logic.stats import day_and_week


@pytest.mark.parametrize(
    ("text", "head", "prefix"),
    [
        ("deploy bill", "deploy ", "bill:*"),
        ("bill", "", "bill:*"),
        ('"exact phrase"', '"exact phrase"', None),
        ('"open quote', '"open quote', None),
        ("cats -dogs", "cats -dogs", None),
        ("cats or", "cats or", None),
        ("a:* & b", "a:* & ", "b:*"),
        ("über straße", "über ", "straße:*"),
        ("x\x00y", "x ", "y:*"),
        ("\ud800abc", "", "abc:*"),
        ("   ", "", None),
        ("snake_case", "snake_case", None),
    ],
)
def test_parse(text: str, head: str, prefix: str | None) -> None:
    parsed = parse(text)
    assert (parsed.head, parsed.prefix) == (head, prefix)


def test_prefix_is_always_letters_and_digits() -> None:
    for text in ["a'b", "x:*", "(y)", "z|", "w&", "q!", "<->"]:
        prefix = parse(text).prefix
        assert prefix is None or prefix[:-2].isalnum()


def test_highlights_escape_the_text_and_mark_matches() -> None:
    assert render_highlight("<b>\ue000bold\ue001</b>") == "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;"
    assert render_highlight(None) == ""


def test_day_and_week_follow_the_users_zone_across_dst() -> None:
    # 2026-03-29 is the spring-forward Sunday in Berlin: a 23-hour day.
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    (day_start, day_end), (week_start, week_end) = day_and_week(now, "Europe/Berlin")
    assert day_start.astimezone(UTC) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    # Python subtracts same-zone datetimes on the wall clock: compare instants in UTC.
    assert (day_end.astimezone(UTC) - day_start.astimezone(UTC)).total_seconds() == 23 * 3600
    assert week_start.astimezone(UTC) == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)  # Monday
    assert week_end.astimezone(UTC) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    # Late on Sunday UTC is already Monday in Kiritimati (UTC+14): another day and week.
    late = datetime(2026, 3, 29, 23, 0, tzinfo=UTC)
    (k_day, _), (k_week, _) = day_and_week(late, "Pacific/Kiritimati")
    assert k_day.date().isoformat() == "2026-03-30"
    assert k_week == k_day
