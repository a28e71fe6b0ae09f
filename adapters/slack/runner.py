"""Serving Slack: Socket Mode (the default, no public URL) or HTTP behind a load balancer.

HTTP mode answers Slack at /slack/events (Bolt checks each request's signature
and age: 401 if either is wrong), mounted on the bot's one HTTP server
(adapters/http.py) beside /healthz, /readyz and /metrics; with `[http] enabled =
false`, on a server of its own with /healthz.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text

from adapters.slack.app import SlackBot, SlackSettings
from adapters.slack.logfields import LogFields
from adapters.slack.manifest import EVENTS_PATH, HEALTH_PATH
from adapters.slack.render import PLATFORM
from adapters.slack.retries import database_claim
from adapters.slack.startup import APP_TOKEN_HELP, answered, check_bot_token

if TYPE_CHECKING:
    from adapters.bootstrap import App
    from adapters.http import HttpServer

log = logging.getLogger(__name__)
Health = Callable[[], Awaitable[bool]]
HEALTH_TIMEOUT = 2.0


class SlackRunner:
    platform = PLATFORM

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self._socket: AsyncSocketModeHandler | None = None

    async def connected(self) -> bool:
        """For /readyz: in Socket Mode, whether the websocket is open now."""
        if self.settings.mode == "http":
            return True
        socket = self._socket
        return socket is not None and bool(await socket.client.is_connected())

    def _opened(self, socket: AsyncSocketModeHandler) -> None:
        self._socket = socket

    async def run(self, app: App) -> None:
        claim = database_claim(app.storage.interactions, app.clock)
        async with SlackBot(app.dispatcher, self.settings, claim) as bot:
            await check_bot_token(bot.client)
            app.broadcaster.connect(bot.poster)
            if app.metrics is not None:  # counts 429s; the handlers after it wait them out
                bot.client.retry_handlers.insert(0, app.metrics.slack_retry_handler())
            bot.bolt.use(LogFields())  # log lines name the event or trigger they belong to
            try:
                await serve(bot, health=database_health(app), server=app.http, opened=self._opened)
            finally:
                app.broadcaster.disconnect(PLATFORM)


async def serve(
    bot: SlackBot,
    *,
    health: Health | None = None,
    server: HttpServer | None = None,
    opened: Callable[[AsyncSocketModeHandler], None] | None = None,
) -> None:
    """Serve until cancelled, on the transport the settings name (on `server` if given)."""
    settings = bot.settings
    if settings.mode == "http" and server is not None:
        async with server.mounted(http_application(bot.bolt)) as port:
            log.info("Slack HTTP mode: on the bot's HTTP port %d at %s", port, EVENTS_PATH)
            await asyncio.Event().wait()
    elif settings.mode == "http":
        async with http_server(bot.bolt, settings.host, settings.port, health=health) as port:
            log.info("Slack HTTP mode: listening on port %d at %s", port, EVENTS_PATH)
            await asyncio.Event().wait()
    else:
        async with socket_mode(bot) as socket:
            if opened is not None:
                opened(socket)
            log.info("Slack Socket Mode: connected")
            await asyncio.Event().wait()


@asynccontextmanager
async def socket_mode(bot: SlackBot) -> AsyncIterator[AsyncSocketModeHandler]:
    """Connected to Slack's websocket for the duration of the block."""
    if not bot.settings.app_token:
        raise ValueError("Socket Mode needs SLACK_APP_TOKEN")
    # web_client: apps.connections.open goes to the same (configurable) API URL.
    handler = AsyncSocketModeHandler(
        bot.bolt, app_token=bot.settings.app_token, web_client=bot.client
    )
    # The connection URL is asked for here, once, so that a refused app token stops with
    # a sentence; slack_sdk would retry it forever. connect_async uses the URL we got.
    try:
        opened = await answered(
            bot.client.apps_connections_open(app_token=bot.settings.app_token),
            "SLACK_APP_TOKEN",
            APP_TOKEN_HELP,
            bot.client.base_url,
        )
        handler.client.wss_uri = str(opened["url"])
        await handler.connect_async()  # type: ignore[no-untyped-call]
        yield handler
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


def http_application(bolt: AsyncApp, *, health: Health | None = None) -> web.Application:
    """The aiohttp application of HTTP mode: Slack's requests at /slack/events (as Bolt's
    own aiohttp adapter serves them) and load balancers at /healthz."""

    async def events(request: web.Request) -> web.Response:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def healthz(request: web.Request) -> web.Response:
        healthy = True
        if health is not None:
            try:
                async with asyncio.timeout(HEALTH_TIMEOUT):
                    healthy = await health()
            except Exception:  # any failure to answer means "not ready"
                healthy = False
        body = {"status": "ok" if healthy else "the database is not reachable"}
        return web.json_response(body, status=200 if healthy else 503)

    application = web.Application()
    application.router.add_post(EVENTS_PATH, events)
    application.router.add_get(HEALTH_PATH, healthz)
    return application


@asynccontextmanager
async def http_server(
    bolt: AsyncApp, host: str, port: int, *, health: Health | None = None
) -> AsyncIterator[int]:
    """An aiohttp server for Slack's requests; yields the port it listens on (0: any free)."""
    runner = web.AppRunner(http_application(bolt, health=health), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()


def database_health(app: App) -> Health:
    async def check() -> bool:
        async with app.storage.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    return check
