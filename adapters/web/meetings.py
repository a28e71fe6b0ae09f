"""/meetings: upcoming sessions and a timeline of past ones, in the reader's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.web.kept import Kept
from adapters.web.page_cache import public_page
from adapters.web.pages import reader_language, render, site
from bot.i18n import translator
from bot.meetings.public import Sessions, sessions, sessions_version
from bot.meetings.topics import topic_slug
from bot.timezones import canonical_timezone

EMBED = "/embed/"


def reader_zone(request: web.Request, fallback: str) -> tuple[str, bool]:
    """The zone asked with ?tz= (set by static/zone.js from the browser), else `fallback`;
    and whether an asked zone was unknown."""
    asked = request.query.get("tz", "").strip()
    if not asked:
        return fallback, False
    found = canonical_timezone(asked[:64])
    return (found, False) if found else (fallback, True)


@dataclass(frozen=True, slots=True)
class TopicFeed:
    topic: str
    https: str
    webcal: str


def feed_links(public_url: str, path: str) -> tuple[str, str]:
    """The feed's https (or http) address, and the same as webcal:// for calendar apps."""
    address = public_url + path
    return address, "webcal://" + address.split("://", 1)[1]


async def meetings_page(request: web.Request) -> web.Response:
    current = site(request)
    minute = _minute(request)
    async with current.app.storage.reading() as uow:
        version = f"sessions {await sessions_version(uow, minute)} {minute.isoformat()}"
    language = reader_language(request, current.app.config.coalition.language)
    return await public_page(request, version, language, lambda: _meetings_page(request))


def _minute(request: web.Request) -> datetime:
    return site(request).app.clock.now().replace(second=0, microsecond=0)


async def _meetings_page(request: web.Request) -> web.Response:
    current = site(request)
    config = current.app.config
    zone, unknown = reader_zone(request, config.coalition.timezone)
    tr = translator(reader_language(request, config.coalition.language))
    found = await _sessions(request)
    notes = []
    if unknown:
        notes.append(
            tr.plain("That time zone is not one I know, so times are in {zone}.", zone=zone)
        )
    https, webcal = feed_links(current.settings.public_url, "/calendar.ics")
    # A feed for each listed topic some session shown is about, in the list's order.
    about = {t for s in [*found.upcoming, *found.past] for t in s.meeting.topics}
    topics = [
        TopicFeed(
            t, *feed_links(current.settings.public_url, f"/calendar/topic/{topic_slug(t)}.ics")
        )
        for t in config.lists.topics
        if t in about
    ]
    embed = request.path.startswith(EMBED)
    return render(
        request,
        "embed_meetings.html" if embed else "meetings.html",
        embed=embed,
        sessions=found,
        zone=zone,
        notes=notes,
        problem="",
        feed=https,
        webcal=webcal,
        topics=topics,
    )


# Sessions worked out lately, by the meetings' version and the minute. Meetings start
# and end on whole minutes, so which are upcoming and which past holds for a minute.
FOUND = web.AppKey("sessions_found", Kept[tuple[str, datetime], Sessions])
KEEP = 8


async def _sessions(request: web.Request) -> Sessions:
    current = site(request)
    minute = _minute(request)
    found = request.app[FOUND]
    async with current.app.storage.reading() as uow:
        key = (await sessions_version(uow, minute), minute)
        kept = found.get(key)
        return kept if kept is not None else found.put(key, await sessions(uow, minute))


def add_routes(application: web.Application) -> None:
    application[FOUND] = Kept(KEEP)
    router = application.router
    router.add_get("/meetings", meetings_page, name="meetings")
    router.add_get("/embed/meetings", meetings_page, name="embed_meetings")
