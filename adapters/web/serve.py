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
async def web_pages(app: App) -> AsyncIterator[int | None]:
    """The pages served while the body runs, when [web] enabled; yields the port (None: off).

    Under `coalition-bot run` the bot's HTTP server (adapters/operations.py) already
    serves them on its port; otherwise (the terminal, or [http] off) they get a server
    of their own on `[http] port`. A port already taken is said and the bot runs on
    without the pages: chat matters more.
    """
    settings = app.config.web
    if not settings.enabled:
        yield None
        return
    if app.http is not None:
        _say_where(settings.public_url, app.http.port)
        yield app.http.port
        return
    http = app.config.http
    runner = web.AppRunner(web_application(app, settings), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, http.host, http.port).start()
    except OSError as error:
        print(
            f"The web pages cannot use port {http.port} ({error.strerror}). "
            "Set another [http] port in config.toml; the bot runs on without them.",
            file=sys.stderr,
        )
        await runner.cleanup()
        yield None
        return
    port = int(runner.addresses[0][1])
    _say_where(settings.public_url, port)
    try:
        yield port
    finally:
        await runner.cleanup()


def _say_where(public_url: str, port: int) -> None:
    print(f"Web pages: {public_url}/library (serving on port {port}).")
