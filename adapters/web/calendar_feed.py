"""/calendar.ics: every public session as one live feed."""

from __future__ import annotations

from aiohttp import web


async def calendar_feed(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()
