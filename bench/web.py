"""The public web pages under 20 concurrent clients, beside a static file of the same server.

Seeds the library (bulk inserts, as bench/resources.py), the meetings, and for the
dashboard's engagement page 10,000 members (joined over a year), answers to 50
sessions and 1,000 discussions with replies, with a coordinator signed in; serves
`web_application` on a loopback port, and sends requests from 20 clients at once
(aiohttp, in the same process: the client's own cost is in every figure, the
static file's included, which is what it is there to show). For each kind:
p50 and p99 latency and requests per second, on SQLite and PostgreSQL.

    python -m bench web [--resources 100000] [--meetings 1000] [--members 10000]
                        [--requests 400] [--clients 20]

Public pages are kept once made, per data version (adapters/web/page_cache.py).
So each page kind is measured twice: "cold", with nothing kept (every request
searches and renders, as for distinct queries), then "warm", once the pages
the kind asks for are kept. The 304s (the library, the whole feed, one meeting's feed, a personal feed)
are asked with the ETag a first GET gave.
The engagement page is measured twice too: "first view" while its drawings are
made (each request after data changed draws again: here, the first ones), and
then with its drawings kept, as every view until the figures change.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import insert, text

from adapters.bootstrap import App
from adapters.web import web_application
from adapters.web.page_cache import KEEP, PAGES
from bench.meetings import RULES, ZONES
from bench.meetings import seed as seed_meetings
from bench.membership import seed as seed_members
from bench.resources import DOMAIN
from bench.resources import seed as seed_resources
from bench.settle import settle
from bench.stats import peak_rss_mib, summary
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.meetings.model import Answer, Meeting
from bot.private_links import secret_hash
from bot.registry import build_catalogue
from bot.roles import Role
from storage import Storage
from storage.database import database_url
from storage.schema.discussions import DiscussionRow
from storage.schema.meetings import RsvpRow

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def meetings(count: int) -> list[Meeting]:
    rng = random.Random(5)
    found = []
    for n in range(count):
        start = (NOW + timedelta(hours=rng.randrange(-24 * 60, 24 * 60))).replace(
            minute=rng.choice((0, 30)), second=0, microsecond=0, tzinfo=None
        )
        found.append(
            Meeting(
                0,
                f"Session {n}",
                start,
                rng.choice(ZONES),
                60,
                "announcements",
                link="https://zoom.us/j/1",
                agenda="Agenda line",
                rule=rng.choice(RULES),
                public=n % 2 == 0,
            )
        )
    return found


SESSION = "bench-engagement-session"
FEED = "bench-personal-feed-token"


async def seed_engagement(storage: Storage, config: Config, members: int) -> dict[str, str]:
    """Members joined over a year, answers, busy discussions; the cookie of a signed-in
    coordinator (Bench Coordinator, whom bench/resources.py made)."""
    await seed_members(storage, config, members)
    spread = (
        "joined_at - (id % 365) * interval '1 day'"
        if storage.backend == "postgresql"
        else "datetime(joined_at, '-' || (id % 365) || ' days')"
    )
    rng = random.Random(9)
    answers = list(Answer)
    async with storage.engine.begin() as connection:
        await connection.execute(text(f"UPDATE members SET joined_at = {spread}"))
        ids = [row[0] for row in await connection.execute(text("SELECT id FROM members"))]
        await connection.execute(
            insert(RsvpRow),
            [
                {
                    "meeting_id": meeting,
                    "occurrence": (NOW + timedelta(days=meeting)).date().isoformat(),
                    "member_id": member,
                    "answer": rng.choice(answers).value,
                    "answered_at": NOW,
                }
                for meeting in range(1, 51)
                for member in rng.sample(ids, 40)
            ],
        )
        await connection.execute(
            insert(DiscussionRow),
            [
                {
                    "title": f"Discussion {n}",
                    "question": "What works?",
                    "topics": "",
                    "topic_keys": "",
                    "channel": "discussions",
                    "started_by": ids[0],
                    "started_at": NOW - timedelta(days=n % 300),
                    "status": "open",
                    "replies": rng.randrange(0, 200),
                    "last_activity": NOW - timedelta(days=n % 300),
                    "notified_replies": 0,
                    "summary": "",
                }
                for n in range(1000)
            ],
        )
    async with storage.unit_of_work() as uow:
        (coordinator,) = await uow.members.by_name("Bench Coordinator")
        await uow.members.set_role(coordinator.id, Role.COORDINATOR)
        await uow.dashboard.start_session(secret_hash(SESSION), coordinator.id, "csrf", NOW)
        await uow.calendar_feeds.add(secret_hash(FEED), coordinator.id, at=NOW)
        await uow.commit()
    return {"Cookie": f"dashboard_session={SESSION}"}


async def load(
    base: str, path: Callable[[], str], requests: int, clients: int, headers: dict[str, str]
) -> tuple[list[float], float]:
    """`requests` GETs from `clients` at once; latencies (ms) and requests per second."""
    latencies: list[float] = []
    left = requests
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:

        async def client() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                began = time.perf_counter()
                async with session.get(base + path(), headers=headers) as response:
                    await response.read()
                    assert response.status in {200, 304}, (path, response.status)
                latencies.append((time.perf_counter() - began) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, requests / elapsed


async def measure(storage: Storage, args: argparse.Namespace) -> None:
    config = Config()
    started = time.perf_counter()
    await seed_resources(storage, config, args.resources)
    await seed_meetings(storage, meetings(args.meetings), NOW - timedelta(days=90))
    signed_in = await seed_engagement(storage, config, args.members)
    await settle(storage)
    print(
        f"  seeded {args.resources} resources, {args.meetings} meetings and {args.members}"
        f" members in {time.perf_counter() - started:.1f} s"
    )
    clock = ManualClock(NOW)
    dispatcher = Dispatcher(build_catalogue(), storage.unit_of_work, clock, config)
    app = App(config, Secrets(), storage, dispatcher, Broadcaster(), clock)
    server = TestServer(web_application(app, config.web))
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    rng = random.Random(3)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/calendar.ics") as response:
                tag = response.headers["ETag"]
                size = len(await response.read())
            async with session.get(base + "/library") as response:
                page_tag = response.headers["ETag"]
            async with session.get(base + "/meetings/1.ics") as response:
                one_tag = response.headers["ETag"]
            async with session.get(base + f"/calendar/{FEED}.ics") as response:
                own_tag = response.headers["ETag"]
        kinds: dict[str, tuple[Callable[[], str], dict[str, str]]] = {
            "static file (site.css)": (lambda: "/static/site.css", {}),
            "library, newest": (lambda: "/library", {}),
            "library, search": (lambda: f"/library?q={rng.choice(DOMAIN)}", {}),
            "library, filtered": (
                lambda: (
                    f"/library?q={rng.choice(DOMAIN)}"
                    f"&type={rng.choice(config.lists.resource_types)}"
                    f"&topic={rng.choice(config.lists.topics)}"
                ),
                {},
            ),
            "library, last page": (lambda: f"/library?q={rng.choice(DOMAIN)}&page=10", {}),
            "one resource": (lambda: f"/library/{rng.randrange(1, args.resources)}", {}),
            "meetings page": (lambda: "/meetings", {}),
            "library, 304": (lambda: "/library", {"If-None-Match": page_tag}),
            f"calendar.ics ({size // 1024} KiB)": (lambda: "/calendar.ics", {}),
            "calendar.ics, 304": (lambda: "/calendar.ics", {"If-None-Match": tag}),
            "meetings/1.ics, 304": (lambda: "/meetings/1.ics", {"If-None-Match": one_tag}),
            "personal feed, 304": (lambda: f"/calendar/{FEED}.ics", {"If-None-Match": own_tag}),
            "engagement, first view": (lambda: "/dashboard/engagement", signed_in),
            "engagement page": (lambda: "/dashboard/engagement", signed_in),
            "engagement CSV": (lambda: "/dashboard/engagement/regions.csv", signed_in),
            "review queue (dashboard)": (lambda: "/dashboard/review", signed_in),
            "meetings list (dashboard)": (lambda: "/dashboard/meetings", signed_in),
        }
        store = server.app[PAGES]
        for name, (path, headers) in kinds.items():
            count = args.requests if "calendar.ics (" not in name else max(40, args.requests // 10)
            if name == "engagement, first view":
                # Drawn anew: the first 20 requests arrive together, before any drawing is kept.
                latencies, rate = await load(base, path, args.clients, args.clients, headers)
                print(f"  {name:<30} {summary(latencies)}   {rate:7.0f} req/s")
                continue
            pages = name.startswith(("library,", "one resource", "meetings")) and not headers
            for state in ("cold", "warm") if pages else ("",):
                store.keep = 0 if state == "cold" else KEEP
                store.pages.clear()
                await load(base, path, min(count, 40), args.clients, headers)  # warm up
                latencies, rate = await load(base, path, count, args.clients, headers)
                label = f"{name}, {state}" if state else name
                print(f"  {label:<30} {summary(latencies)}   {rate:7.0f} req/s")
        # Again at the end: on a shared machine the load can change during a run.
        latencies, rate = await load(
            base, kinds["static file (site.css)"][0], args.requests, args.clients, {}
        )
        print(f"  {'static file, again':<30} {summary(latencies)}   {rate:7.0f} req/s")
    finally:
        await server.close()


async def run(args: argparse.Namespace) -> None:
    print(
        f"web pages benchmark: {args.clients} concurrent clients, {args.requests} requests a kind"
        " (the full feed a tenth of that)"
    )
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'web.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL)")
        await measure(storage, args)
        await storage.dispose()

    from tests.databases import postgres_problem, postgres_storage

    if args.postgres and postgres_problem() is None:
        async with postgres_storage() as pg:
            print("PostgreSQL")
            await measure(pg, args)
    elif args.postgres:
        print(f"PostgreSQL skipped: {postgres_problem()}")
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench web")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    asyncio.run(run(parser.parse_args(argv)))
