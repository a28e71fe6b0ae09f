"""The web pages served alone, in a process of their own, for `python -m bench web`.

A deployment serves the pages from `coalition-bot run`, a process whose only other
work is the chat; the visitors' browsers are elsewhere. So the benchmark runs the
server here, and its clients in the benchmark's process: the figures are then the
server's, not the server's and the clients' sharing one event loop.

    python -m bench.web_server DATABASE_URL [--schema NAME] --now ISO

Prints the port it listens on (loopback), then serves until its standard input
closes. Two routes are the benchmark's own: `POST /bench/pages?keep=N` empties the
public page store and sets how many pages it keeps (0: every page is made), and
`GET /bench/304` answers 304 with nothing read: what any 304 costs this server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from aiohttp import web

from adapters.bootstrap import App, tune_gc
from adapters.web import web_application
from adapters.web.page_cache import PAGES
from bench.database import bench_storage
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.registry import build_catalogue


async def _keep(request: web.Request) -> web.Response:
    store = request.app[PAGES]
    store.pages.limit = int(request.query["keep"])
    store.pages.clear()
    return web.Response(text="ok")


async def _unchanged(request: web.Request) -> web.Response:
    return web.Response(status=304, headers={"ETag": '"bench"'})


async def serve(url: str, schema: str, now: datetime) -> None:
    storage = bench_storage(url, schema)
    config = Config()
    clock = ManualClock(now)
    dispatcher = Dispatcher(build_catalogue(), storage.unit_of_work, clock, config)
    app = App(config, Secrets(), storage, dispatcher, Broadcaster(), clock)
    application = web_application(app, config.web)
    application.router.add_post("/bench/pages", _keep)
    application.router.add_get("/bench/304", _unchanged)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    tune_gc()  # as `coalition-bot run` does
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(runner.addresses[0][1], flush=True)
    try:
        # Served until the benchmark closes our standard input (or goes away).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await runner.cleanup()
        await storage.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web_server")
    parser.add_argument("url")
    parser.add_argument("--schema", default="")
    parser.add_argument("--now", required=True, type=datetime.fromisoformat)
    args = parser.parse_args()
    asyncio.run(serve(args.url, args.schema, args.now))


if __name__ == "__main__":
    main()
