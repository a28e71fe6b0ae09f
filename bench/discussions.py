"""Discussions at 10,000 discussions and 1,000,000 reply events.

Seeds the discussions (bulk inserts, with their threads), then measures on
SQLite and on PostgreSQL (if reachable):

- reply-event ingest: each platform message event handed to the `ReplyIngest`
  as adapters do (bot/discussions/ingest.py), on the wall clock: counts
  coalesced per discussion and written in one transaction every second or every
  20,000 events, and once more at the end (included in the time);
- list and search through the real dispatcher: the first page, a topic, one and
  two words (target: p99 under 20 ms);
- digest build: the whole weekly digest, as the scheduler builds it.

    python -m bench discussions [--discussions 10000] [--replies 1000000] [--samples 300]

The reply events are made as they are fed (not held in a list of a million), so
the time includes making them: a few microseconds each.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.resources import DOMAIN
from bench.settle import settle
from bench.stats import peak_rss_mib, summary
from bot.clock import ManualClock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.discussions.digest import PERIOD, build_digest
from bot.discussions.ingest import ReplyIngest
from bot.dispatcher import Dispatcher
from bot.i18n import translator
from bot.identity import Identity, Place
from bot.invocation import CommandCall
from bot.membership.model import Profile
from bot.registry import build_catalogue
from storage import Storage
from storage.database import database_url
from storage.discussions import topic_keys, words_of
from storage.schema import DiscussionRow, DiscussionThreadRow, DiscussionWordRow

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PLACE = Place("console", "local", "general")
CHANNEL = "C0DISCUSS"
BATCH = 1000


class WallClock:
    """The ingest flushes every second of real time, as it does in the running bot."""

    def now(self) -> datetime:
        return datetime.now(UTC)


async def seed(storage: Storage, config: Config, count: int) -> None:
    rng = random.Random(7)
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile(display_name="Seed Member", organization="Bench County Health"),
            Identity("console", "local", "seed"),
            pending=False,
            at=NOW - timedelta(days=30),
        )
        await uow.commit()
    topics = config.lists.topics
    for start in range(0, count, BATCH):
        rows = []
        threads = []
        words: list[dict[str, object]] = []
        for n in range(start + 1, min(count, start + BATCH) + 1):
            picked = rng.sample(DOMAIN, 6)
            chosen = tuple(rng.sample(topics, 2))
            title = f"How do you handle {picked[0]} and {picked[1]}?"
            question = f"Our {picked[2]} {picked[3]} work needs {picked[4]} {picked[5]} ideas."
            at = NOW - timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            rows.append(
                {
                    "id": n,
                    "title": title,
                    "question": question,
                    "topics": ", ".join(chosen),
                    "topic_keys": topic_keys(chosen),
                    "channel": "discussions",
                    "started_by": member.id,
                    "started_at": at,
                    # A tenth closed, as an old coalition's list would have.
                    "status": "closed" if n % 10 == 0 else "open",
                    "replies": 0,
                    "last_activity": at,
                    "notified_replies": 0,
                    "summary": "",
                }
            )
            words.extend(
                {"word": word, "discussion_id": n}
                for word in words_of(" ".join((title, question, *chosen)))
            )
            threads.append(
                {"platform": "slack", "channel": CHANNEL, "thread": f"{n}.0001", "discussion_id": n}
            )
        async with storage.engine.begin() as connection:
            await connection.execute(insert(DiscussionRow), rows)
            await connection.execute(insert(DiscussionThreadRow), threads)
            await connection.execute(insert(DiscussionWordRow), words)
    if storage.backend == "postgresql":
        async with storage.engine.begin() as connection:
            await connection.execute(
                text("SELECT setval('discussions_id_seq', (SELECT max(id) FROM discussions))")
            )


async def measure(storage: Storage, discussions: int, replies: int, samples: int) -> None:
    config = Config()
    started = time.perf_counter()
    await seed(storage, config, discussions)
    print(f"  seeded {discussions} discussions in {time.perf_counter() - started:.1f} s")
    clock = ManualClock(NOW)
    dispatcher = Dispatcher(build_catalogue(), storage.unit_of_work, clock, config, Broadcaster())
    rng = random.Random(11)
    # Replies cluster on a few busy discussions, as real ones do.
    busy = [rng.randrange(1, discussions + 1) for _ in range(200)]
    ingest = ReplyIngest(storage.unit_of_work, WallClock())
    received = 0
    began = time.perf_counter()
    for _ in range(replies):
        n = rng.choice(busy) if rng.random() < 0.5 else rng.randrange(1, discussions + 1)
        at = NOW - timedelta(seconds=rng.randrange(0, 7 * 86400))
        received += await ingest.record("slack", CHANNEL, f"{n}.0001", at)
    await ingest.flush()
    elapsed = time.perf_counter() - began
    async with storage.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT sum(replies) FROM discussions"))).scalar()
    assert stored == received, (stored, received)  # every event in an open thread, counted
    print(
        f"  ingest {replies:,} reply events ({received:,} in open threads): {elapsed:.1f} s, "
        f"{replies / elapsed:,.0f} events/s, {ingest.writes} write transactions"
    )
    await settle(storage)

    user = Identity("console", "local", "seed")

    async def timed_list(**args: object) -> float:
        began = time.perf_counter()
        reply = await dispatcher.run(CommandCall(user, PLACE, ("discussion", "list"), args))
        elapsed = (time.perf_counter() - began) * 1000
        shown = reply.message.fallback_text() if reply.message else ""
        assert "went wrong" not in shown, shown
        return elapsed

    kinds: dict[str, list[float]] = {"first page": [], "topic": [], "one word": [], "two words": []}
    for _ in range(samples):
        kinds["first page"].append(await timed_list())
        kinds["topic"].append(await timed_list(topic=(rng.choice(config.lists.topics),)))
        kinds["one word"].append(await timed_list(words=rng.choice(DOMAIN)))
        kinds["two words"].append(await timed_list(words=" ".join(rng.sample(DOMAIN, 2))))
    for name, figures in kinds.items():
        print(f"  list, {name:<11} {summary(figures)}")

    tr = translator(config.coalition.language)
    builds: list[float] = []
    for _ in range(max(10, samples // 10)):
        began = time.perf_counter()
        async with storage.unit_of_work() as uow:
            digest = await build_digest(uow, config, tr, NOW - PERIOD, NOW)
        builds.append((time.perf_counter() - began) * 1000)
        assert digest is not None
    print(f"  digest build       {summary(builds)}")


async def run(discussions: int, replies: int, samples: int) -> None:
    print(
        f"discussions benchmark: {discussions} discussions, {replies} reply events, "
        f"{samples} samples per kind"
    )
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL)")
        await measure(storage, discussions, replies, samples)
        await storage.dispose()

    from tests.databases import postgres_problem, postgres_storage

    if postgres_problem() is None:
        async with postgres_storage() as pg:
            print("PostgreSQL")
            await measure(pg, discussions, replies, samples)
    else:
        print(f"PostgreSQL skipped: {postgres_problem()}")
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench discussions")
    parser.add_argument("--discussions", type=int, default=10_000)
    parser.add_argument("--replies", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    asyncio.run(run(args.discussions, args.replies, args.samples))
