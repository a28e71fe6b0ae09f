"""/calendar.ics, /calendar/topic/{slug}.ics and /meetings/{id}.ics: live feeds calendars
subscribe to.

A feed's version (bot/meetings/public.py) is known before the feed is made,
from the meetings' version row (raised with every meeting change, in its
transaction), the day in the coalition's zone and, for a personal feed, a count
raised with each of the member's answers: a calendar asking again with the ETag
it holds gets a 304 from primary-key reads, without a meeting being read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from aiohttp import web

from adapters.web.kept import Kept
from adapters.web.pages import site
from bot.meetings.personal import PersonalFeed, personal_version
from bot.meetings.personal import personal_feed as own_feed
from bot.meetings.public import Feed, calendar_version, meeting_version
from bot.meetings.public import calendar_feed as whole_feed
from bot.meetings.public import meeting_feed as one_meeting
from bot.meetings.topics import topic_of_slug, topic_slug

CONTENT_TYPE = "text/calendar"
KEEP = 32


@dataclass
class FeedStore:
    """Feeds made lately, by version: the same version is the same feed, so the whole
    feed (a thousand meetings take icalendar a good part of a second) is made once.
    `made` counts feeds made (for the benchmark and tests: a 304 makes none)."""

    feeds: Kept[str, tuple[bytes, datetime | None]] = field(default_factory=lambda: Kept(KEEP))
    made: int = 0

    def make(self, feed: Feed | PersonalFeed) -> tuple[bytes, datetime | None]:
        self.made += 1
        return feed.content(), feed.changed

    def remember(self, feed: Feed) -> tuple[bytes, datetime | None]:
        return self.feeds.put(feed.version, self.make(feed))


MADE = web.AppKey("calendar_feeds_made", FeedStore)


async def calendar_feed(request: web.Request) -> web.StreamResponse:
    return await _shared_feed(request, "", "calendar.ics")


async def topic_feed(request: web.Request) -> web.StreamResponse:
    """The meetings about one of `[lists] topics`, named by its slug; another is a 404."""
    slug = request.match_info["topic"]
    topic = topic_of_slug(slug[:200], site(request).app.config.lists.topics)
    if topic is None:
        raise web.HTTPNotFound()
    return await _shared_feed(request, topic, f"calendar-{topic_slug(topic)}.ics")


async def _shared_feed(request: web.Request, topic: str, filename: str) -> web.StreamResponse:
    current = site(request)
    config, now = current.app.config, current.app.clock.now()
    store = request.app[MADE]
    async with current.app.storage.reading() as uow:
        version = await calendar_version(uow, config, now, topic)
        made = store.feeds.get(version)
        if made is None and not _holds(request, version):
            # Its version too, should the meetings just have changed.
            feed = await whole_feed(uow, config, now, topic)
            version, made = feed.version, store.remember(feed)
    return _answer(request, version, made, filename)


async def meeting_feed(request: web.Request) -> web.StreamResponse:
    """One meeting (every occurrence), for its "Add to calendar" link."""
    current = site(request)
    number = request.match_info["id"]
    store = request.app[MADE]
    feed = None
    if number.isascii() and number.isdigit() and len(number) < 12:
        async with current.app.storage.reading() as uow:
            # The version names the meeting and every meeting change: a caller holding
            # it got it for this meeting as it still is, so a 304 needs no more.
            # (Not for `*`, which would answer 304 for a meeting that is not there.)
            version = await meeting_version(uow, int(number))
            if _holds(request, version, star=False):
                return _answer(request, version, None, "")
            feed = await one_meeting(uow, int(number))
    if feed is None:
        raise web.HTTPNotFound()
    made = store.feeds.get(feed.version) or store.remember(feed)
    return _answer(request, feed.version, made, f"meeting-{number}.ics")


async def personal_feed(request: web.Request) -> web.StreamResponse:
    """A member's own feed (bot/meetings/personal.py); an unknown or revoked token is
    the same 404 page as any missing one, saying nothing of whose it was."""
    current = site(request)
    config, now = current.app.config, current.app.clock.now()
    token = request.match_info["token"]
    feed = None
    # A token is 43 URL-safe characters; anything else is not worth a query.
    if len(token) < 100 and token.isascii():
        async with current.app.storage.reading() as uow:
            known = await personal_version(uow, config, token, now)
            if known is not None and _holds(request, known[1]):
                return _answer(request, known[1], None, "")
            feed = await own_feed(uow, config, token, now) if known is not None else None
    if feed is None:
        raise web.HTTPNotFound()
    return _answer(request, feed.version, request.app[MADE].make(feed), "my-meetings.ics")


def _holds(request: web.Request, version: str, *, star: bool = True) -> bool:
    """Whether the caller already has this version. Only the ETag decides: a meeting
    cancelled whole leaves the feed without making its latest change any later,
    which If-Modified-Since would miss."""
    asked = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    return f'"{version}"' in asked or (star and "*" in asked)


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
