"""/calendar.ics and /meetings/{id}.ics: live feeds calendars subscribe to.

A feed's version (bot/meetings/public.py) is known from the stored meetings
before the feed is made, so a calendar asking again with the ETag it holds gets
a 304 without the feed being made at all.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from aiohttp import web

from adapters.web.pages import site
from bot.meetings.personal import personal_feed as own_feed
from bot.meetings.public import Feed, calendar_version
from bot.meetings.public import calendar_feed as whole_feed
from bot.meetings.public import meeting_feed as one_meeting

CONTENT_TYPE = "text/calendar"
# Feeds made lately, by version: the same version is the same feed, so the whole
# feed (a thousand meetings take icalendar a good part of a second) is made once.
MADE = web.AppKey("calendar_feeds_made", dict[str, tuple[bytes, datetime | None]])
KEEP = 32


def _remember(request: web.Request, feed: Feed) -> tuple[bytes, datetime | None]:
    made = request.app[MADE]
    made[feed.version] = (feed.content(), feed.changed)
    while len(made) > KEEP:
        del made[next(iter(made))]
    return made[feed.version]


async def calendar_feed(request: web.Request) -> web.StreamResponse:
    current = site(request)
    config, now = current.app.config, current.app.clock.now()
    async with current.app.storage.reading() as uow:
        version = await calendar_version(uow, config, now)
        made = request.app[MADE].get(version)
        if made is None and not _holds(request, version):
            feed = await whole_feed(uow, config, now)  # its version, should it just change
            version, made = feed.version, _remember(request, feed)
    return _answer(request, version, made, "calendar.ics")


async def meeting_feed(request: web.Request) -> web.StreamResponse:
    """One meeting (every occurrence), for its "Add to calendar" link."""
    current = site(request)
    number = request.match_info["id"]
    feed = None
    if number.isascii() and number.isdigit() and len(number) < 12:
        async with current.app.storage.reading() as uow:
            feed = await one_meeting(uow, int(number))
    if feed is None:
        raise web.HTTPNotFound()
    made = request.app[MADE].get(feed.version) or _remember(request, feed)
    return _answer(request, feed.version, made, f"meeting-{number}.ics")


async def personal_feed(request: web.Request) -> web.StreamResponse:
    """A member's own feed (bot/meetings/personal.py); an unknown or revoked token is
    the same 404 page as any missing one, saying nothing of whose it was."""
    current = site(request)
    token = request.match_info["token"]
    feed = None
    # A token is 43 URL-safe characters; anything else is not worth a query.
    if len(token) < 100 and token.isascii():
        async with current.app.storage.reading() as uow:
            feed = await own_feed(uow, current.app.config, token, current.app.clock.now())
    if feed is None:
        raise web.HTTPNotFound()
    made = None if _holds(request, feed.version) else (feed.content(), feed.changed)
    return _answer(request, feed.version, made, "my-meetings.ics")


def _holds(request: web.Request, version: str) -> bool:
    """Whether the caller already has this version. Only the ETag decides: a meeting
    cancelled whole leaves the feed without making its latest change any later,
    which If-Modified-Since would miss."""
    asked = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    return f'"{version}"' in asked or "*" in asked


def _answer(
    request: web.Request, version: str, made: tuple[bytes, datetime | None] | None, filename: str
) -> web.StreamResponse:
    """The feed, or a 304 when the caller holds this version (`made` may then be None)."""
    headers = {"ETag": f'"{version}"', "Cache-Control": "no-cache"}
    if made is not None and made[1] is not None:
        headers["Last-Modified"] = format_datetime(made[1], usegmt=True)
    if _holds(request, version) or made is None:
        return web.Response(status=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return web.Response(body=made[0], content_type=CONTENT_TYPE, charset="utf-8", headers=headers)
