"""Due dates from import files: instants, local times, dates without a time."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from tasklane.logic.exchange.dates import Due, parse_iso, parse_with_format, zone
from tasklane.settings import Env, ImportLimits, Settings

BERLIN = zone("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026-12-01", Due(datetime(2026, 12, 1, 22, 59, tzinfo=UTC), all_day=True)),
        ("2026-07-01", Due(datetime(2026, 7, 1, 21, 59, tzinfo=UTC), all_day=True)),  # CEST
        ("2026-12-01T17:00", Due(datetime(2026, 12, 1, 16, 0, tzinfo=UTC))),
        ("2026-12-01 17:00:30", Due(datetime(2026, 12, 1, 16, 0, 30, tzinfo=UTC))),
        (
            "2026-12-01T17:00:00.123456789Z",
            Due(datetime(2026, 12, 1, 17, 0, 0, 123456, tzinfo=UTC)),
        ),
        ("2026-12-01T17:00+05:30", Due(datetime(2026, 12, 1, 11, 30, tzinfo=UTC))),
        ("2026-12-01T17:00-0800", Due(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))),
        (" 2026-12-01T17:00z ", Due(datetime(2026, 12, 1, 17, 0, tzinfo=UTC))),
        # 02:30 does not exist in Berlin on 2026-03-29: the offset before the change (+01:00).
        ("2026-03-29T02:30", Due(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))),
        # 02:30 happens twice on 2026-10-25: the first one (+02:00).
        ("2026-10-25T02:30", Due(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))),
    ],
)
def test_parse_iso(text: str, due: Due) -> None:
    assert parse_iso(text, BERLIN) == due


def test_the_all_day_time_can_be_chosen() -> None:
    due = parse_iso("2026-12-01", zone("America/New_York"), time(9, 0))
    assert due == Due(datetime(2026, 12, 1, 14, 0, tzinfo=UTC), all_day=True)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-13-01",
        "1969-12-31",
        "9999-12-31",
        "2026-12-01T25:00",
        "2026-12-01T17:00+24:00",
        "tomorrow",
        "01/12/2026",
        "",
        "2026-12-01T17",
        "\uff12\uff10\uff12\uff16-12-01",
    ],
)
def test_parse_iso_refuses(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the reason
        parse_iso(text, BERLIN)


def test_parse_with_format() -> None:
    assert parse_with_format("31/12/2026", "%d/%m/%Y", BERLIN) == Due(
        datetime(2026, 12, 31, 22, 59, tzinfo=UTC), all_day=True
    )
    assert parse_with_format("12/31/2026 5:30 PM", "%m/%d/%Y %I:%M %p", BERLIN) == Due(
        datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    )
    with pytest.raises(ValueError, match="does not match"):
        parse_with_format("2026-12-31", "%d/%m/%Y", BERLIN)


def test_zones_are_iana_names_only() -> None:
    assert zone("UTC") is UTC
    for bad in ("Mars/Olympus", "/etc/passwd", "../../etc/localtime", ""):
        with pytest.raises(ValueError, match="IANA"):
            zone(bad)


def test_import_limits_come_from_the_environment() -> None:
    assert Settings.from_environment({}).exchange.imports == ImportLimits()
    settings = Settings.from_environment(
        {Env.IMPORT_MAX_BYTES: "1000", Env.IMPORT_MAX_ROWS: "7", Env.CALENDAR_MAX_EVENTS: "50"}
    ).exchange
    assert (settings.imports.max_bytes, settings.imports.max_rows) == (1000, 7)
    assert settings.calendar.max_events == 50
    assert settings.webhooks.allow_http_loopback is False
