"""The bot's one HTTP server: every route any part of the bot serves is mounted here.

`coalition-bot run` starts it on `[http] port` with /healthz, /readyz and
/metrics (adapters/operations.py). A platform that is reached over HTTP mounts
its routes on it once it is connected, and unmounts them when it stops: Slack's
HTTP mode mounts /slack/events, so one port (one load balancer target) serves
Slack and the probes. A route that is not mounted answers 404.

aiohttp freezes an application's router when it starts, so the server keeps its
own table of mounted routes behind one catch-all route, looked up per request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class HttpServer:
    def __init__(self, host: str, port: int, application: web.Application | None = None) -> None:
        """`application`: the root application, whose routes, middlewares and settings
        serve every request (the web pages, adapters/web, when they are on)."""
        self.host = host
        self.port = port  # the port asked for; after start(), the one listened on
        self._application = application or web.Application()
        self._mounted: dict[tuple[str, str], Handler] = {}
        self._runner: web.AppRunner | None = None

    def route(self, method: str, path: str, handler: Handler) -> None:
        """A route of the server's own, before start(): it wins over anything mounted."""
        self._application.router.add_route(method, path, handler)

    def mount(self, application: web.Application) -> Callable[[], None]:
        """Serve the routes of `application` (its plain paths; not its middlewares or
        signals) from now on; returns what unmounts them. The server's own routes keep
        their handlers."""
        added: list[tuple[str, str]] = []
        for route in application.router.routes():
            info = route.resource.get_info() if route.resource is not None else {}
            path = info.get("path")
            if path is None:
                raise ValueError(f"only plain paths can be mounted, not {route.resource!r}")
            key = (route.method, str(path))
            self._mounted[key] = route.handler
            added.append(key)

        def unmount() -> None:
            for key in added:
                self._mounted.pop(key, None)

        return unmount

    @asynccontextmanager
    async def mounted(self, application: web.Application) -> AsyncIterator[int]:
        """The routes of `application` are served in the block; yields the port."""
        unmount = self.mount(application)
        try:
            yield self.port
        finally:
            unmount()

    async def start(self) -> int:
        """Listen; returns the port (a free one if 0 was asked). OSError if it is taken."""
        self._application.router.add_route("*", "/{path:.*}", self._dispatch)
        runner = web.AppRunner(self._application, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self.port

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        handler = self._mounted.get((request.method, request.path))
        if handler is None and request.method == "HEAD":
            handler = self._mounted.get(("GET", request.path))
        if handler is not None:
            return await handler(request)
        allowed = {method for method, path in self._mounted if path == request.path}
        if allowed:
            raise web.HTTPMethodNotAllowed(request.method, allowed)
        raise web.HTTPNotFound()
