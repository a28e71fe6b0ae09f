"""The dashboard's "Engagement at a glance": each chart drawn on the server, its numbers
as a table beside it, and a CSV of them (see docs/web.md).

The figures come from the core (bot/dashboard/engagement.py), counted by the
database; this module only draws them (adapters/web/charts.py) and lays them out.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from aiohttp import web
from markupsafe import Markup

from adapters.web.charts import Drawings, Shown, as_csv, describe, shown
from adapters.web.dashboard_access import outside, signed_in
from adapters.web.kept import Kept
from adapters.web.pages import chosen_language, link, reader_language, render, site
from bot.dashboard.engagement import Chart, engagement
from bot.i18n import translator

# The figures are counted again at most this often: a glance need not be fresher than
# a minute, and counting 10,000 members for every page view would be the page's whole cost.
FRESH_FOR = 60.0


@dataclass
class Counted:
    """The latest figures, and when they were counted (monotonic seconds)."""

    charts: tuple[Chart, ...] = ()
    at: float = float("-inf")
    counting: asyncio.Task[tuple[Chart, ...]] | None = field(default=None, repr=False)


DRAWINGS = web.AppKey("engagement_drawings", Drawings)
COUNTED = web.AppKey("engagement_counted", Counted)
# The charts' HTML by (charts as shown, ?lang= chosen): a few languages, a few versions.
SECTIONS = web.AppKey("engagement_sections", Kept[tuple[tuple[Shown, ...], str | None], Markup])
SECTIONS_KEPT = 8


async def _count(request: web.Request) -> tuple[Chart, ...]:
    app = site(request).app
    async with app.storage.reading() as uow:
        return await engagement(uow.engagement, app.clock.now(), app.config.lists.resource_types)


async def _charts(request: web.Request) -> tuple[Shown, ...]:
    counted = request.app[COUNTED]
    if time.monotonic() - counted.at > FRESH_FOR:
        # Readers arriving together share one count.
        if counted.counting is None:
            counted.counting = asyncio.create_task(_count(request))
        counting = counted.counting
        try:
            charts = await asyncio.shield(counting)
        finally:
            if counted.counting is counting and counting.done():
                counted.counting = None
        if counted.charts is not charts:
            counted.charts, counted.at = charts, time.monotonic()
    app = site(request).app
    tr = translator(reader_language(request, app.config.coalition.language))
    return tuple(shown(chart, tr) for chart in counted.charts)


async def engagement_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    charts = await _charts(request)
    sections = request.app[SECTIONS]
    key = (charts, chosen_language(request))
    html = sections.get(key)
    if html is None:
        html = sections.put(key, await _sections(request, charts))
    return render(
        request,
        "dashboard_engagement.html",
        section="engagement",
        sections=html,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
    )


async def _sections(request: web.Request, charts: tuple[Shown, ...]) -> Markup:
    """The charts, their tables and links: about 200 KB of HTML, the same for every
    reader of one language until the figures change, so made once and kept."""
    drawings = request.app[DRAWINGS]
    # Kept drawings at once; any other is drawn in a worker thread, one at a time.
    images = iter(
        await asyncio.gather(*(drawings.data_uri(chart) for chart in charts if not chart.empty))
    )
    current = site(request)
    tr = translator(reader_language(request, current.app.config.coalition.language))
    return Markup(
        current.templates.get_template("engagement_sections.html").render(
            _=tr.plain,
            link=lambda name, query=None, **parts: link(request, name, query, **parts),
            charts=[
                (chart, None if chart.empty else next(images), describe(chart)) for chart in charts
            ],
        )
    )


async def engagement_csv(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    key = request.match_info["chart"]
    found = next((chart for chart in await _charts(request) if chart.key == key), None)
    if found is None:
        raise web.HTTPNotFound()
    return web.Response(
        text=as_csv(found),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="engagement-{key}.csv"'},
    )


def add_routes(application: web.Application) -> None:
    application[DRAWINGS] = Drawings()
    application[COUNTED] = Counted()
    application[SECTIONS] = Kept(SECTIONS_KEPT)
    router = application.router
    router.add_get("/dashboard/engagement", engagement_page, name="dashboard_engagement")
    router.add_get(
        "/dashboard/engagement/{chart:[a-z]+}.csv", engagement_csv, name="dashboard_engagement_csv"
    )
