"""The resource library at 100,000 approved resources: search and suggest-to-review latency.

Seeds the library with bulk inserts (executemany; the full-text index is kept
by the same triggers / generated column as in production), then measures
through the real dispatcher, as an adapter calls it, on SQLite and on
PostgreSQL (if reachable):

- search: one word, three words, and one word with filters (type and topic),
  best match first (the default when words are given);
- suggest → review post: from the command until the review post reached the
  platform (a recording poster), including the save and the after-commit post.

    python -m bench resources [--resources 100000] [--samples 300]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.settle import settle
from bench.stats import peak_rss_mib, summary
from bot.clock import ManualClock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.identity import Identity, Place
from bot.invocation import CommandCall
from bot.membership.model import Profile
from bot.messages import Message
from bot.registry import build_catalogue
from storage import Storage
from storage.database import database_url
from storage.schema import ResourceRow, ResourceTopicRow

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PLACE = Place("console", "local", "general")
# Words a public-health library is about; each appears in roughly 1-2% of resources.
DOMAIN = """housing eviction lead asthma vaccine immunization measles opioid overdose naloxone
tobacco vaping alcohol nutrition obesity diabetes hypertension cardiovascular stroke cancer
screening maternal infant prenatal breastfeeding childcare school adolescent youth aging
dementia disability equity racism segregation rural urban tribal immigrant refugee language
interpreter literacy workforce recruitment retention burnout training accreditation budget
funding grant policy ordinance statute regulation zoning permit inspection restaurant
sanitation water sewage wastewater drinking fluoride air pollution wildfire smoke heat
climate flood hurricane emergency preparedness shelter evacuation surveillance outbreak
epidemiology dashboard data informatics interoperability registry reporting syphilis hiv
hepatitis tuberculosis influenza covid testing contact tracing isolation quarantine mental
suicide crisis counseling violence firearm injury traffic pedestrian bicycle transit food
pantry insecurity snap wic medicaid insurance clinic hospital pharmacy telehealth community
health worker navigator outreach coalition partnership collaboration engagement survey
assessment improvement plan evaluation logic model indicators metrics benchmark toolkit
guide curriculum webinar case study law brief report analysis""".split()  # noqa: SIM905 (prose reads better)
FILLER_SIZE = 5000


def filler_words(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(FILLER_SIZE)
    ]


async def seed(storage: Storage, config: Config, count: int) -> None:
    rng = random.Random(7)
    filler = filler_words(rng)
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile(display_name="Seed Member", organization="Bench County Health"),
            Identity("console", "local", "seed"),
            pending=False,
            at=NOW,
        )
        coordinator = await uow.members.add(
            Profile(display_name="Bench Coordinator", organization="Bench County Health"),
            Identity("console", "local", "coordinator"),
            pending=False,
            at=NOW,
        )
        await uow.commit()
    batch = 2000
    for start in range(0, count, batch):
        resources: list[dict[str, object]] = []
        topics: list[dict[str, object]] = []
        for n in range(start, min(count, start + batch)):
            title = " ".join(
                [*rng.sample(DOMAIN, 2), *rng.sample(filler, 3)][: rng.randint(3, 5)]
            ).capitalize()
            words = [*rng.sample(DOMAIN, 4), *rng.sample(filler, 16)]
            rng.shuffle(words)
            chosen = rng.sample(config.lists.topics, 2)
            url_key = f"https://example.org/resource/{n}"
            decided = NOW - timedelta(minutes=count - n)
            resources.append(
                {
                    "id": n + 1,
                    "url": url_key,
                    "url_key": url_key,
                    "url_hash": hashlib.sha256(url_key.encode()).hexdigest(),
                    "title": title,
                    "description": " ".join(words),
                    "type": rng.choice(config.lists.resource_types),
                    "topics": ", ".join(chosen),
                    "jurisdiction": rng.choice(("local", "state", "national", "")),
                    "language": "es" if rng.random() < 0.1 else "en",
                    "status": "approved",
                    "suggested_by": member.id,
                    "suggested_at": decided - timedelta(days=1),
                    "decided_by": coordinator.id,
                    "decided_at": decided,
                    "reason": "",
                    "review": "posted",
                    "review_posts": "[]",
                }
            )
            topics.extend(
                {"resource_id": n + 1, "topic_key": t.lower(), "position": i}
                for i, t in enumerate(chosen)
            )
        async with storage.engine.begin() as connection:
            await connection.execute(insert(ResourceRow), resources)
            await connection.execute(insert(ResourceTopicRow), topics)
    if storage.backend == "postgresql":
        # Explicit ids were inserted: move the sequence past them.
        async with storage.engine.begin() as connection:
            await connection.execute(
                text("SELECT setval(pg_get_serial_sequence('resources', 'id'), :n)"), {"n": count}
            )


class RecordingPoster:
    """A platform that answers at once, noting when each post arrived."""

    platform = "console"

    def __init__(self) -> None:
        self.arrived: list[float] = []

    async def post_to_channel(self, channel: str, message: Message) -> None:
        self.arrived.append(time.perf_counter())

    async def post_to_user(self, identity: Identity, message: Message) -> None:
        self.arrived.append(time.perf_counter())


async def measure(storage: Storage, count: int, samples: int) -> None:
    config = Config()
    started = time.perf_counter()
    await seed(storage, config, count)
    async with storage.engine.connect() as connection:
        seeded = await connection.scalar(select(text("count(*)")).select_from(ResourceRow))
    print(f"  seeded {seeded} approved resources in {time.perf_counter() - started:.1f} s")
    await settle(storage)
    broadcaster = Broadcaster()
    poster = RecordingPoster()
    broadcaster.connect(poster)
    dispatcher = Dispatcher(
        build_catalogue(), storage.unit_of_work, ManualClock(NOW), config, broadcaster
    )
    rng = random.Random(11)
    user = Identity("console", "local", "seed")

    async def timed_search(**args: object) -> float:
        began = time.perf_counter()
        reply = await dispatcher.run(CommandCall(user, PLACE, ("resource", "search"), args))
        elapsed = (time.perf_counter() - began) * 1000
        shown = reply.message.fallback_text() if reply.message else ""
        assert "went wrong" not in shown, shown
        return elapsed

    # The cost of any command (member, role, language, one transaction), for comparison.
    baseline: list[float] = []
    for _ in range(samples):
        began = time.perf_counter()
        await dispatcher.run(
            CommandCall(user, PLACE, ("resource", "view"), {"id": rng.randrange(1, count)})
        )
        baseline.append((time.perf_counter() - began) * 1000)
    print(f"  view one (baseline)   {summary(baseline)}")

    kinds: dict[str, list[float]] = {"one word": [], "three words": [], "filtered": []}
    for _ in range(samples):
        kinds["one word"].append(await timed_search(query=rng.choice(DOMAIN)))
        kinds["three words"].append(await timed_search(query=" ".join(rng.sample(DOMAIN, 3))))
        kinds["filtered"].append(
            await timed_search(
                query=rng.choice(DOMAIN),
                type=rng.choice(config.lists.resource_types),
                topic=rng.choice(config.lists.topics),
            )
        )
    for name, figures in kinds.items():
        print(f"  search, {name:<13} {summary(figures)}")

    reviews: list[float] = []
    for n in range(samples):
        args = {
            "url": f"https://bench.example.org/new/{n}",
            "title": f"New toolkit on housing {n}",
            "type": "toolkit",
            "topics": "Housing, bench",
        }
        before = len(poster.arrived)
        began = time.perf_counter()
        await dispatcher.run(CommandCall(user, PLACE, ("resource", "suggest"), args))
        assert len(poster.arrived) == before + 1, "the review post did not arrive"
        reviews.append((poster.arrived[-1] - began) * 1000)
    print(f"  suggest → review post {summary(reviews)}")


async def run(count: int, samples: int) -> None:
    print(f"resource library benchmark: {count} approved resources, {samples} samples per kind")
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL, FTS5)")
        await measure(storage, count, samples)
        await storage.dispose()

    from tests.databases import postgres_problem, postgres_storage

    if postgres_problem() is None:
        async with postgres_storage() as pg:
            print("PostgreSQL (tsvector, GIN)")
            await measure(pg, count, samples)
    else:
        print(f"PostgreSQL skipped: {postgres_problem()}")
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench resources")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    asyncio.run(run(args.resources, args.samples))
