"""The calendar feed, checked by a real iCalendar parser (the icalendar package), and the
feed tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest

from tasklane.domain.exchange.calendar import CalendarTask
from tasklane.domain.exchange.feed_tokens import (
    feed_url,
    hash_token,
    new_feed_token,
    parse_token,
    token_matches,
)
from tasklane.domain.models import Task
from tasklane.logic.exchange.calendar import escape_text, fold, render_feed

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
WEB = "https://app.tasklane.example"


def _task(number: int, **changes: Any) -> Task:
    fields: dict[str, Any] = {
        "id": f"p-t{number}",
        "project_id": "p",
        "title": f"Task {number}",
        "description": "",
        "status": "todo",
        "priority": "medium",
        "due_at": "2026-12-01T16:00:00.000Z",
        "labels": [],
        "created_at": "2026-10-01T09:00:00.000Z",
        "updated_at": "2026-10-02T09:30:00.000Z",
        "completed_at": None,
        "created_by": "u",
        "version": 3,
    }
    return Task.model_validate({**fields, **changes})


TRICKY = _task(
    1,
    title="Réunion; budget, Q4 \\ 🚀 — très important " + "long " * 20,
    description="Line one\r\nLine two, with; marks\n\n日本語のテキスト" * 3,
    labels=["marketing", "a,b", "semi;colon"],
    priority="urgent",
)


def _feed(tasks: list[Task], zone: str = "Europe/Berlin", max_events: int = 100) -> bytes:
    entries = [CalendarTask.from_task(t, "Launch 🚀") for t in tasks]
    return render_feed(
        [e for e in entries if e is not None],
        time_zone=zone,
        web_url=WEB,
        now=NOW,
        max_events=max_events,
    )


def _events(data: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_a_real_parser_reads_every_field_back() -> None:
    data = _feed([TRICKY, _task(2, due_at="2027-03-28T01:30:00.000Z", labels=["x"])])
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    first, second = _events(data)
    assert str(first["UID"]) == "task-p-t1@tasklane"
    assert str(first["SUMMARY"]) == TRICKY.title
    assert first.decoded("DTSTART") == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert "DTEND" not in first
    description = str(first["DESCRIPTION"])
    assert description.startswith("Line one\nLine two, with; marks\n\n日本語のテキスト")
    assert "Due Tue 01 Dec 2026 17:00 (Europe/Berlin)" in description
    assert description.endswith(f"Project: Launch 🚀\n{WEB}/tasks/p-t1")
    assert str(first["URL"]) == f"{WEB}/tasks/p-t1"
    assert list(first["CATEGORIES"].cats) == ["marketing", "a,b", "semi;colon"]
    assert int(first["PRIORITY"]) == 1
    assert int(first["SEQUENCE"]) == 2
    assert first.decoded("LAST-MODIFIED") == datetime(2026, 10, 2, 9, 30, tzinfo=UTC)
    assert first.decoded("DTSTAMP") == NOW
    assert str(first["TRANSP"]) == "TRANSPARENT"
    # 01:30 UTC on the night Berlin moves to summer time is 03:30 local.
    assert "Due Sun 28 Mar 2027 03:30 (Europe/Berlin)" in str(second["DESCRIPTION"])


def test_lines_are_folded_at_75_octets_with_crlf() -> None:
    data = _feed([TRICKY])
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)  # folding happened
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in physical:
        line.decode()  # no fold split a UTF-8 character


def test_done_and_undated_tasks_are_left_out_and_the_feed_is_capped() -> None:
    tasks = [_task(1), _task(2, status="done"), _task(3, due_at=None), _task(4), _task(5)]
    assert [str(e["UID"]) for e in _events(_feed(tasks))] == [
        "task-p-t1@tasklane",
        "task-p-t4@tasklane",
        "task-p-t5@tasklane",
    ]
    assert len(_events(_feed(tasks, max_events=2))) == 2


def test_the_feed_is_stable_and_an_empty_one_is_valid() -> None:
    assert _feed([TRICKY, _task(2)]) == _feed([TRICKY, _task(2)])
    empty = icalendar.Calendar.from_ical(_feed([]))
    assert [c.name for c in empty.walk()] == ["VCALENDAR"]


def test_an_unknown_zone_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValueError, match="IANA"):
        _feed([_task(1)], zone="Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("one\r\ntwo\rthree\nfour", "one\\ntwo\\nthree\\nfour"),
        ("bell\x07tab\t", "belltab\t"),
        ("", ""),
    ],
)
def test_escape_text(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_feed_tokens() -> None:
    issued = new_feed_token()
    assert issued.token.startswith("tlcal_")
    assert issued.token_hash == hash_token(issued.token)
    assert issued.token not in issued.token_hash
    assert new_feed_token().token != issued.token
    url = feed_url("https://api.example/", issued.token)
    assert url == f"https://api.example/calendar/{issued.token}.ics"
    assert parse_token(url.rsplit("/", 1)[1]) == issued.token
    assert token_matches(issued.token, issued.token_hash)
    assert not token_matches(new_feed_token().token, issued.token_hash)


@pytest.mark.parametrize(
    "segment",
    [
        "",
        "tlcal_",
        "tlcal_short.ics",
        "x" * 49,
        "tlcal_" + "a" * 42 + "!",
        "tlcal_" + "a" * 44,
        "../tlcal_" + "a" * 43,
        "TLCAL_" + "a" * 43,
    ],
)
def test_malformed_tokens_are_refused_without_a_lookup(segment: str) -> None:
    assert parse_token(segment) is None
