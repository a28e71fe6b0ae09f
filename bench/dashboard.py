"""The signed-in dashboard's pages, one request at a time: where a request's time goes.

Seeds as `python -m bench web` does (library, meetings, members, answers, a signed-in
coordinator), then asks each page serially: p50 and mean latency, and the SQL
statements one request sends (tests/statements.py). A static file of the same
server is the baseline: what the server and client cost with no page made.
`--profile PATH[,PATH]` prints a cProfile of those pages's requests, by cumulative time;
`--paths PATH[,PATH]` asks those pages instead (public ones too, e.g. /library?q=health).
`--clients 20` then asks each page from 20 clients at once: latency and pages a second.

    python -m bench dashboard [--resources 100000] [--meetings 1000] [--members 10000]
                              [--requests 50] [--postgres] [--profile /dashboard/meetings] [--sql]
                              [--paths /library,/meetings] [--cold] [--clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer

from adapters.bootstrap import App
from adapters.web import web_application
from adapters.web.page_cache import PAGES as PUBLIC_PAGES
from bench.meetings import seed as seed_meetings
from bench.resources import seed as seed_resources
from bench.settle import settle
from bench.stats import summary
from bench.web import NOW, meetings, seed_engagement
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.registry import build_catalogue
from storage import Storage
from storage.database import database_url
from tests.statements import statements

PAGES = (
    "/static/site.css",
    "/dashboard/review",
    "/dashboard/engagement",
    "/dashboard/members",
    "/dashboard/meetings",
)


async def measure(storage: Storage, args: argparse.Namespace) -> None:
    config = Config()
    await seed_resources(storage, config, args.resources)
    await seed_meetings(storage, meetings(args.meetings), NOW - timedelta(days=90))
    headers = await seed_engagement(storage, config, args.members)
    await settle(storage)
    clock = ManualClock(NOW)
    dispatcher = Dispatcher(build_catalogue(), storage.unit_of_work, clock, config)
    app = App(config, Secrets(), storage, dispatcher, Broadcaster(), clock)
    server = TestServer(web_application(app, config.web))
    if args.cold:
        server.app[PUBLIC_PAGES].pages.limit = 0  # public pages made on every request
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    try:
        async with aiohttp.ClientSession(headers=headers) as session:

            async def get(path: str) -> None:
                async with session.get(base + path) as response:
                    await response.read()
                    assert response.status == 200, (path, response.status)

            for path in args.paths.split(",") if args.paths else PAGES:
                for _ in range(5):  # warm up: the engagement page's drawings are kept
                    await get(path)
                with statements(storage) as sent:
                    await get(path)
                latencies = []
                profile = cProfile.Profile() if path in args.profile.split(",") else None
                for _ in range(args.requests):
                    began = time.perf_counter()
                    if profile:
                        profile.enable()
                    await get(path)
                    if profile:
                        profile.disable()
                    latencies.append((time.perf_counter() - began) * 1000)
                print(f"  {path:<24} {summary(latencies)}   {len(sent):3d} statements")
                if args.sql:
                    print("\n".join(f"    {line[:160]}" for line in sent))
                if profile:
                    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
                if args.clients > 1:
                    await together(get, path, args.clients, args.requests)
    finally:
        await server.close()


async def together(get: Callable[[str], Awaitable[None]], path: str, clients: int, n: int) -> None:
    """`clients` asking `path` at once, `n` requests each: what a reader waits, and the
    pages served a second (its inverse is the server's cost per page, when it is busy)."""
    latencies: list[float] = []

    async def client() -> None:
        for _ in range(n):
            began = time.perf_counter()
            await get(path)
            latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    per_second = len(latencies) / (time.perf_counter() - began)
    print(f"  {'':<6}{clients} at once:{'':<6} {summary(latencies)}   {per_second:6.0f} pages/s")


async def run(args: argparse.Namespace) -> None:
    print(f"dashboard pages, serially: {args.requests} requests each after 5 to warm up")
    if args.postgres:
        from tests.databases import postgres_problem, postgres_storage

        if postgres_problem() is None:
            async with postgres_storage() as pg:
                print("PostgreSQL")
                await measure(pg, args)
            return
        print(f"PostgreSQL skipped: {postgres_problem()}")
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'dash.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL)")
        await measure(storage, args)
        await storage.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench dashboard")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", default="")
    parser.add_argument("--sql", action="store_true", help="print each page's statements")
    parser.add_argument("--paths", default="", help="comma-separated pages to ask instead")
    parser.add_argument("--cold", action="store_true", help="keep no public page made")
    parser.add_argument(
        "--clients", type=int, default=1, help="then ask each page from this many at once"
    )
    asyncio.run(run(parser.parse_args(argv)))
