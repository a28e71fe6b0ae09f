"""What other programs read: the library as JSON and CSV, the calendar feed."""

from __future__ import annotations

import csv
import io
import json

from aiohttp import web

from adapters.web.calendar_feed import calendar_feed, meeting_feed
from adapters.web.pages import site
from bot.resources.public import public_fields, public_records


async def library_json(request: web.Request) -> web.Response:
    current = site(request)
    records = []
    async with current.app.storage.unit_of_work() as uow:
        records = [record async for record in public_records(uow, current.app.config)]
    body = json.dumps(records, ensure_ascii=False, indent=1)
    return web.Response(text=body, content_type="application/json", charset="utf-8")


async def library_csv(request: web.Request) -> web.Response:
    current = site(request)
    # A byte order mark, as `coalition-bot export` writes: Excel then reads accents right.
    out = io.StringIO("\ufeff")
    out.seek(0, io.SEEK_END)
    writer = csv.DictWriter(out, fieldnames=public_fields(current.app.config))
    writer.writeheader()
    async with current.app.storage.unit_of_work() as uow:
        async for record in public_records(uow, current.app.config):
            record["topics"] = "; ".join(record["topics"])
            writer.writerow(record)
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="library.csv"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/library.json", library_json, name="library_json")
    router.add_get("/library.csv", library_csv, name="library_csv")
    router.add_get("/calendar.ics", calendar_feed, name="calendar")
    router.add_get("/meetings/{id}.ics", meeting_feed, name="meeting_feed")
