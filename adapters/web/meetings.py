"""/meetings: upcoming sessions and a timeline of past ones."""

from __future__ import annotations

from aiohttp import web

from adapters.web.pages import render


async def meetings_page(request: web.Request) -> web.Response:
    return render(request, "missing.html", status=404)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/meetings", meetings_page, name="meetings")
    router.add_get("/embed/meetings", meetings_page, name="embed_meetings")
