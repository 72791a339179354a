"""``/me/calendar``: your personal calendar feed's URL (regenerate, revoke); and
``/calendar/{token}``: the feed itself, public (the token in the URL is the credential)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api.http import caller_id, container, json_response
from tasklane.domain.exchange.calendar import CalendarFeed

router = Router()
TAGS = ["Calendar feed"]
CALENDAR_TYPE = "text/calendar; charset=utf-8"


@router.get(
    "/me/calendar",
    tags=TAGS,
    summary="Your calendar feed's URL",
    description="Made the first time you ask, then the same until you regenerate or revoke "
    "it. Subscribe to it in Google Calendar, Outlook or Apple Calendar.",
)
def get_calendar() -> Response[CalendarFeed]:
    feed = container(router).calendar_feeds.url(caller_id(router))
    return json_response(200, feed, {"Cache-Control": "no-store"})


@router.post(
    "/me/calendar/regenerate",
    tags=TAGS,
    summary="A new feed URL; the old one answers 404 from now on",
)
def regenerate_calendar() -> Response[CalendarFeed]:
    feed = container(router).calendar_feeds.regenerate(caller_id(router))
    return json_response(200, feed, {"Cache-Control": "no-store"})


@router.delete(
    "/me/calendar",
    tags=TAGS,
    summary="Revoke your feed URL (it answers 404 from now on)",
    status_code=204,
)
def revoke_calendar() -> Response[Any]:
    container(router).calendar_feeds.revoke(caller_id(router))
    return json_response(204, None)


@router.get(
    "/calendar/<token>",
    tags=TAGS,
    summary="The calendar feed (iCalendar, RFC 5545)",
    description="No token needed: the URL's secret is the credential. One event per open "
    "task with a due date in your projects, at its due time, in your profile's time zone, "
    "linking back to the task. An unknown, revoked or replaced URL answers 404.",
    security=[],
    responses={200: {"description": "The feed", "content": {"text/calendar": {}}}},
)
def calendar_feed(token: str) -> Response[Any]:
    body = container(router).calendar_feeds.feed(token)
    # Calendar programs poll: a short private cache, never a shared one (the URL is a secret).
    return Response(
        status_code=200,
        content_type=CALENDAR_TYPE,
        body=body.decode(),
        headers={"Cache-Control": "private, max-age=300"},
    )
