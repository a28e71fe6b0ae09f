"""/calendar.ics and /meetings/{id}.ics: live feeds calendars subscribe to.

The feed is made from stored data only (bot/meetings/public.py), so an
unchanged set of meetings gives the same bytes, the same ETag, and a 304.
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime

from aiohttp import web

from adapters.web.pages import site
from bot.meetings.calendar import build_feed
from bot.meetings.public import Feed
from bot.meetings.public import calendar_feed as whole_feed

CONTENT_TYPE = "text/calendar"


async def calendar_feed(request: web.Request) -> web.StreamResponse:
    current = site(request)
    async with current.app.storage.unit_of_work() as uow:
        feed = await whole_feed(uow, current.app.config, current.app.clock.now())
    return _answer(request, feed, "calendar.ics")


async def meeting_feed(request: web.Request) -> web.StreamResponse:
    """One meeting (every occurrence), for its "Add to calendar" link."""
    current = site(request)
    number = request.match_info["id"]
    meeting = None
    if number.isascii() and number.isdigit() and len(number) < 12:
        async with current.app.storage.unit_of_work() as uow:
            meeting = await uow.meetings.get(int(number))
            changes = await uow.meetings.changes([meeting.id]) if meeting else {}
    if meeting is None or meeting.cancelled:
        raise web.HTTPNotFound()
    content = build_feed([meeting], changes, name=meeting.title)
    return _answer(request, Feed(content, meeting.updated_at), f"meeting-{meeting.id}.ics")


def _answer(request: web.Request, feed: Feed, filename: str) -> web.StreamResponse:
    tag = '"' + hashlib.sha256(feed.content).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if feed.changed is not None:
        headers["Last-Modified"] = format_datetime(feed.changed, usegmt=True)
    # Only the ETag decides a 304: a meeting cancelled whole leaves the feed without
    # making its latest change any later, which If-Modified-Since would miss.
    asked = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    if tag in asked or "*" in asked:
        return web.Response(status=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return web.Response(
        body=feed.content, content_type=CONTENT_TYPE, charset="utf-8", headers=headers
    )
