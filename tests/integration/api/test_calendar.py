"""The calendar feed over the api handler: the URL, the public feed read by a real iCalendar
parser, regenerate and revoke (404 from then on), and nothing without the secret."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import sync

pytestmark = pytest.mark.integration


def feed_path(url: str) -> str:
    return "/calendar/" + url.rsplit("/calendar/", 1)[1]


def test_the_feed_shows_open_dated_tasks_of_the_users_projects(
    api: Api, aws: LocalConfig, pg: Any
) -> None:
    api.patch("/me", {"time_zone": "Europe/Berlin"})
    project = api.post("/projects", {"name": "Büro"}).body["id"]
    due = api.post(
        f"/projects/{project}/tasks",
        {"title": "Steuer; Erklärung, abgeben", "due_at": "2026-12-10T09:00:00Z"},
    ).body
    api.post(f"/projects/{project}/tasks", {"title": "No date"})
    api.post(
        f"/projects/{project}/tasks",
        {"title": "Done already", "due_at": "2026-12-11T09:00:00Z", "status": "done"},
    )
    other = api.post(
        "/projects/inbox/tasks",
        {"title": "Not mine", "due_at": "2026-12-12T09:00:00Z"},
        user="user-b",
    )
    assert other.status == 201
    sync(aws)

    first = api.get("/me/calendar")
    assert first.status == 200, first.body
    assert first.headers["cache-control"] == "no-store"
    assert api.get("/me/calendar").body["url"] == first.body["url"]  # the same until changed

    feed = api.get(feed_path(first.body["url"]), user=None)
    assert feed.status == 200, feed.body
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Steuer; Erklärung, abgeben"]
    assert due["id"] in str(events[0]["UID"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"


def test_regenerate_and_revoke_and_no_feed_without_the_secret(
    api: Api, aws: LocalConfig, pg: Any
) -> None:
    old = api.get("/me/calendar").body["url"]
    new = api.post("/me/calendar/regenerate")
    assert new.status == 200, new.body
    assert new.body["url"] != old
    assert api.get(feed_path(old), user=None).status == 404
    assert api.get(feed_path(new.body["url"]), user=None).status == 200

    assert api.delete("/me/calendar").status == 204
    assert api.get(feed_path(new.body["url"]), user=None).status == 404
    assert api.delete("/me/calendar").status == 204  # nothing left to revoke: still fine

    forged = "/calendar/tlcal_" + "A" * 43 + ".ics"
    for path in (forged, "/calendar/nonsense", "/calendar/tlcal_short.ics"):
        reply = api.get(path, user=None)
        assert reply.status == 404
        assert reply.error_code == "not_found"
    # Another user's URL is theirs alone: a new one for user-b is a different secret.
    assert api.get("/me/calendar", user="user-b").body["url"] != new.body["url"]
