"""Membership at 10,000 members: join, profile view and directory search latency.

Seeds 10,000 members straight through the repositories (fast), then measures
operations through the real dispatcher, as an adapter would call it, on
SQLite and on PostgreSQL (if reachable), beside a baseline measured in the
same run: one bare statement in one transaction on the same engine.

Profile view and directory search are run by members chosen at random from all
10,000.

    python -m bench membership [--members 10000] [--samples 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import text

from bench.settle import settle
from bench.stats import peak_rss_mib, summary, timed
from bot.clock import ManualClock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.identity import Identity, Place
from bot.invocation import CommandCall
from bot.membership.model import Profile
from bot.registry import build_catalogue
from storage import Storage
from storage.database import database_url

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PLACE = Place("console", "local", "general")


async def seed(storage: Storage, config: Config, count: int) -> None:
    lists = config.lists
    rng = random.Random(7)
    batch = 1000
    for start in range(0, count, batch):
        async with storage.unit_of_work() as uow:
            for n in range(start, min(count, start + batch)):
                profile = Profile(
                    display_name=f"Member {n:05d}",
                    organization=f"{rng.choice(['County', 'City', 'Tribal', 'State'])} Health {n % 400}",
                    jurisdiction="",
                    discipline=rng.choice(lists.disciplines),
                    region=rng.choice(lists.regions),
                    interests=tuple(rng.sample(lists.interests, 3)),
                    timezone="America/Chicago",
                    listed=rng.random() > 0.1,
                )
                await uow.members.add(
                    profile, Identity("console", "local", f"seed{n}"), pending=False, at=NOW
                )
            await uow.commit()


async def measure(storage: Storage, members: int, samples: int) -> None:
    config = Config()
    started = time.perf_counter()
    await seed(storage, config, members)
    print(f"  seeded {members} members in {time.perf_counter() - started:.1f} s")
    await settle(storage)
    dispatcher = Dispatcher(
        build_catalogue(), storage.unit_of_work, ManualClock(NOW), config, Broadcaster()
    )
    rng = random.Random(11)

    def call(user: str, path: tuple[str, ...], **args: object) -> CommandCall:
        return CommandCall(Identity("console", "local", user), PLACE, path, args)

    joins: list[float] = []
    for n in range(samples):
        args = {
            "name": f"Newcomer {n}",
            "organization": "Bench County Health",
            "discipline": "Epidemiology",
            "region": "West",
            "interests": "Housing,Workforce",
        }
        joins.append(await timed(partial(dispatcher.run, call(f"new{n}", ("join",), **args))))

    # Each command by a member chosen at random: their lookup reads the database, as
    # every command's does.
    def who() -> str:
        return f"seed{rng.randrange(members)}"

    views: list[float] = []
    searches: list[float] = []
    filters = [
        {"region": "West"},
        {"interest": "Housing"},
        {"discipline": "Nursing", "region": "Midwest"},
        {"organization": "county health 12"},
        {"name": "member 0"},
        {},
    ]
    for _ in range(samples):
        user = who()
        views.append(
            await timed(lambda u=user: dispatcher.run(call(u, ("profile", "view"))))  # type: ignore[misc]
        )
    for n in range(samples):
        query = dict(filters[n % len(filters)])
        user = who()
        searches.append(
            await timed(lambda u=user, q=query: dispatcher.run(call(u, ("directory",), **q)))  # type: ignore[misc]
        )

    # The floor any database-backed command pays: one statement in one transaction.
    async def bare_round_trip() -> None:
        async with storage.sessions() as session:
            await session.execute(text("SELECT 1"))
            await session.commit()

    baseline = [await timed(bare_round_trip) for _ in range(samples)]

    print(f"  baseline: SELECT 1 in a transaction {summary(baseline)}")
    print(f"  join                    {summary(joins)}")
    print(f"  profile view            {summary(views)}")
    print(f"  directory search        {summary(searches)}")


async def run(members: int, samples: int) -> None:
    print(f"membership benchmark: {members} members, {samples} samples per operation")
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL)")
        await measure(storage, members, samples)
        await storage.dispose()

    from tests.databases import postgres_problem, postgres_storage

    if postgres_problem() is None:
        # A fresh schema on the test server, dropped afterwards.
        async with postgres_storage() as pg:
            print("PostgreSQL")
            await measure(pg, members, samples)
    else:
        print(f"PostgreSQL skipped: {postgres_problem()}")
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench membership")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    asyncio.run(run(args.members, args.samples))
