"""What other programs read: the library as JSON and CSV, the calendar feeds.

The library's files are the export (bot/resources/public.py), made at most once
every EXPORT_FRESH and shared by every request meanwhile: a whole library takes
seconds to write at 100,000 resources, and a public address must not let anyone
make the bot do that work on demand.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiohttp import web

from adapters.web.calendar_feed import calendar_feed, meeting_feed, personal_feed, topic_feed
from adapters.web.pages import Site, site
from bot.resources.public import public_fields, public_records

EXPORT_FRESH = timedelta(minutes=5)


@dataclass
class Exports:
    made: dict[str, tuple[datetime, bytes]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


EXPORTS = web.AppKey("library_exports", Exports)


async def _records_as(current: Site, form: str) -> str:
    config = current.app.config
    async with current.app.storage.reading() as uow:
        records = [record async for record in public_records(uow, config)]
    if form == "json":
        return json.dumps(records, ensure_ascii=False, indent=1)
    # A byte order mark, as `coalition-bot export` writes: Excel then reads accents right.
    out = io.StringIO("\ufeff")
    out.seek(0, io.SEEK_END)
    writer = csv.DictWriter(out, fieldnames=public_fields(config))
    writer.writeheader()
    for record in records:
        record["topics"] = "; ".join(record["topics"])
        writer.writerow(record)
    return out.getvalue()


async def _export(request: web.Request, form: str) -> bytes:
    current = site(request)
    exports = request.app[EXPORTS]
    async with exports.lock:  # one request makes it; the others wait and share it
        now = current.app.clock.now()
        made = exports.made.get(form)
        if made is None or now - made[0] >= EXPORT_FRESH:
            made = exports.made[form] = (now, (await _records_as(current, form)).encode())
    return made[1]


async def library_json(request: web.Request) -> web.Response:
    body = await _export(request, "json")
    return web.Response(body=body, content_type="application/json", charset="utf-8")


async def library_csv(request: web.Request) -> web.Response:
    return web.Response(
        body=await _export(request, "csv"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="library.csv"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/library.json", library_json, name="library_json")
    router.add_get("/library.csv", library_csv, name="library_csv")
    router.add_get("/calendar.ics", calendar_feed, name="calendar")
    router.add_get("/calendar/topic/{topic}.ics", topic_feed, name="topic_calendar")
    router.add_get("/calendar/{token}.ics", personal_feed, name="personal_calendar")
    router.add_get("/meetings/{id}.ics", meeting_feed, name="meeting_feed")
