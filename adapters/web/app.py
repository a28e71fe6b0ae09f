"""The web adapter's aiohttp application: routes, templates, the shared parts of a request."""

from __future__ import annotations

from aiohttp import web

from adapters.bootstrap import App
from adapters.web import (
    dashboard,
    dashboard_audit,
    dashboard_edit,
    dashboard_engagement,
    dashboard_joins,
    dashboard_matching,
    dashboard_meetings,
    dashboard_members,
    dashboard_reports,
    feeds,
    library,
    meetings,
)
from adapters.web.calendar_feed import MADE, FeedStore
from adapters.web.feeds import EXPORTS, Exports
from adapters.web.headers import plain_errors, security_headers
from adapters.web.page_cache import PAGES, SITE_VERSION, PageCache, site_version
from adapters.web.pages import SITE, STATIC_DIR, Site, environment
from bot.config import WebSettings

# A search of 10,000 characters still gets a page saying what to do, not aiohttp's
# "400 Bad Request" for a request line over its 8,190-character default.
MAX_LINE = 32 * 1024


def web_application(app: App, settings: WebSettings) -> web.Application:
    """The public pages over `app`'s core and storage, ready to run or to mount."""
    application = web.Application(
        middlewares=[security_headers, plain_errors],
        handler_args={"max_line_size": MAX_LINE, "max_field_size": MAX_LINE},
    )
    application[SITE] = Site(app, settings, environment())
    application[MADE] = FeedStore()
    application[PAGES] = PageCache()
    application[SITE_VERSION] = site_version(app.config)
    application[EXPORTS] = Exports()
    application.router.add_get("/", _home, name="home")
    library.add_routes(application.router)
    feeds.add_routes(application.router)
    meetings.add_routes(application)
    dashboard.add_routes(application.router)
    dashboard_edit.add_routes(application.router)
    dashboard_joins.add_routes(application.router)
    dashboard_members.add_routes(application.router)
    dashboard_meetings.add_routes(application)
    dashboard_audit.add_routes(application.router)
    dashboard_engagement.add_routes(application)
    dashboard_matching.add_routes(application.router)
    dashboard_reports.add_routes(application.router)
    application.router.add_static("/static", STATIC_DIR, name="static")
    return application


async def _home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(request.app.router["library"].url_for().with_query(request.query))
