"""Starting the web pages beside the bot: the one place that does it (see docs/web.md).

`coalition-bot run` (and the terminal run) wrap their work in `web_pages(app)`.
When a shared HTTP server serves the bot's other endpoints, this is the function
to point at it: it would mount `web_application` there instead of opening a port.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from adapters.bootstrap import App
from adapters.web.app import web_application

log = logging.getLogger(__name__)


@asynccontextmanager
async def web_pages(app: App, *, host: str | None = None) -> AsyncIterator[int | None]:
    """Serve the pages while the body runs, when [web] enabled; yields the port (None: off).

    A port already taken is said and the bot runs on without the pages: chat matters more.
    """
    settings = app.config.web
    if not settings.enabled:
        yield None
        return
    runner = web.AppRunner(web_application(app, settings), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, settings.port)
    try:
        await site.start()
    except OSError as error:
        print(
            f"The web pages cannot use port {settings.port} ({error.strerror}). "
            "Set another [web] port in config.toml; the bot runs on without them.",
            file=sys.stderr,
        )
        await runner.cleanup()
        yield None
        return
    print(f"Web pages: {settings.public_url}/library (serving on port {settings.port}).")
    try:
        yield settings.port
    finally:
        await runner.cleanup()
