"""The public web pages under 20 concurrent clients, beside a static file of the same server.

Seeds the library (bulk inserts, as bench/resources.py), the meetings, and for the
dashboard's engagement page 10,000 members (joined over a year), answers to 50
sessions and 1,000 discussions with replies, with a coordinator signed in; serves
`web_application` from a process of its own (bench/web_server.py, as `coalition-bot
run` does), and sends requests from 20 clients at once (aiohttp, in this process).
For each kind, on SQLite and PostgreSQL, beside a static file of the same server:

- closed loop: each client asks again as soon as it is answered. The server never
  rests, so this gives its requests per second; a latency here is mostly the wait
  behind the 19 other clients' requests (Little's law: 20 / requests per second).
- paced: the same 20 clients, with requests due at `--rate` a second (100: far
  more than a coalition's site gets); a latency counts from when its request was
  due, so a server falling behind shows. This is what a visitor feels.
- server CPU: the server process's CPU time per request (its own work, no client's).

    python -m bench web [--resources 100000] [--meetings 1000] [--members 10000]
                        [--requests 400] [--clients 20] [--rate 100]

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
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import insert, text

from adapters.web.page_cache import KEEP
from bench.database import schema_of
from bench.meetings import RULES, ZONES
from bench.meetings import seed as seed_meetings
from bench.membership import seed as seed_members
from bench.resources import DOMAIN
from bench.resources import seed as seed_resources
from bench.settle import settle
from bench.stats import peak_rss_mib, percentile, process_cpu_seconds, summary
from bot.config import Config
from bot.meetings.model import Answer, Meeting
from bot.private_links import secret_hash
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
    base: str,
    path: Callable[[], str],
    requests: int,
    clients: int,
    headers: dict[str, str],
    rate: float | None = None,
) -> tuple[list[float], float]:
    """`requests` GETs from `clients` at once; latencies (ms) and requests per second.

    `rate` None, a closed loop: each client asks again as soon as it has its answer,
    so the server is always busy and a request's latency is mostly its wait behind
    the others (20 clients / requests per second). `rate` R: the requests are due
    one every 1/R s, taken by whichever client is free, and a latency counts from
    when its request was due: what a visitor feels while the site gets R a second.
    """
    latencies: list[float] = []
    due = iter(range(requests))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:
        started = time.perf_counter()

        async def client() -> None:
            for n in due:
                began = time.perf_counter()
                if rate is not None:
                    began = started + n / rate
                    await asyncio.sleep(max(0.0, began - time.perf_counter()))
                async with session.get(base + path(), headers=headers) as response:
                    await response.read()
                    assert response.status in {200, 304}, (path, response.status)
                latencies.append((time.perf_counter() - began) * 1000)

        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, requests / elapsed


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, int]]:
    """The pages over `storage`, served by a process of their own (bench/web_server.py);
    the base URL and the server's process id."""
    schema = await schema_of(storage)
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.web_server",
        storage.url.render_as_string(hide_password=False),
        "--schema",
        schema,
        "--now",
        NOW.isoformat(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        port = int(await server.stdout.readline())
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.stdin.close()
        await server.wait()


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
    rng = random.Random(3)
    async with served(storage) as (base, pid), aiohttp.ClientSession() as session:
        tags: dict[str, str] = {}
        sizes: dict[str, int] = {}
        for first in ("/calendar.ics", "/library", "/meetings/1.ics", f"/calendar/{FEED}.ics"):
            async with session.get(base + first) as response:
                tags[first] = response.headers["ETag"]
                sizes[first] = len(await response.read())
        size = sizes["/calendar.ics"]

        async def keep(pages: int) -> None:
            async with session.post(f"{base}/bench/pages?keep={pages}") as response:
                assert response.status == 200

        def unchanged(held: str) -> tuple[Callable[[], str], dict[str, str]]:
            return (lambda: held), {"If-None-Match": tags[held]}

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
            "304 with nothing read": (lambda: "/bench/304", {}),
            "library, 304": unchanged("/library"),
            f"calendar.ics ({size // 1024} KiB)": (lambda: "/calendar.ics", {}),
            "calendar.ics, 304": unchanged("/calendar.ics"),
            "meetings/1.ics, 304": unchanged("/meetings/1.ics"),
            "personal feed, 304": unchanged(f"/calendar/{FEED}.ics"),
            "engagement, first view": (lambda: "/dashboard/engagement", signed_in),
            "engagement page": (lambda: "/dashboard/engagement", signed_in),
            "engagement CSV": (lambda: "/dashboard/engagement/regions.csv", signed_in),
            "review queue (dashboard)": (lambda: "/dashboard/review", signed_in),
            "meetings list (dashboard)": (lambda: "/dashboard/meetings", signed_in),
        }
        print(
            f"  {'':<30} {'closed loop (as fast as answered)':<52}"
            f"  {'paced, ' + str(args.rate) + ' req/s: latency from when due':<44}"
            "  server CPU"
        )
        for name, (path, headers) in kinds.items():
            count = args.requests if "calendar.ics (" not in name else max(40, args.requests // 10)
            if name == "engagement, first view":
                # Drawn anew: the first 20 requests arrive together, before any drawing is kept.
                latencies, rate = await load(base, path, args.clients, args.clients, headers)
                print(f"  {name:<30} {summary(latencies)}   {rate:7.0f} req/s")
                continue
            pages = name.startswith(("library,", "one resource", "meetings")) and not headers
            for state in ("cold", "warm") if pages else ("",):
                await keep(0 if state == "cold" else KEEP)
                await load(base, path, min(count, 40), args.clients, headers)  # warm up
                latencies, rate = await load(base, path, count, args.clients, headers)
                cpu = process_cpu_seconds(pid)
                paced, _ = await load(base, path, count, args.clients, headers, args.rate)
                cpu = (process_cpu_seconds(pid) - cpu) * 1000 / count
                label = f"{name}, {state}" if state else name
                print(
                    f"  {label:<30} {brief(latencies)}  {rate:6.0f} req/s"
                    f"   {brief(paced)}   {cpu:5.1f} ms/req"
                )
        # Again at the end: on a shared machine the load can change during a run.
        latencies, rate = await load(
            base, kinds["static file (site.css)"][0], args.requests, args.clients, {}
        )
        print(f"  {'static file, again':<30} {brief(latencies)}  {rate:6.0f} req/s")


def brief(samples_ms: list[float]) -> str:
    return (
        f"p50 {percentile(samples_ms, 0.50):7.2f} ms  p99 {percentile(samples_ms, 0.99):7.2f} ms"
        f"  max {max(samples_ms):7.2f} ms"
    )


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
    parser.add_argument("--rate", type=int, default=100, help="paced requests per second")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    asyncio.run(run(parser.parse_args(argv)))
