"""Meetings and reminders: scheduling 10,000 meetings, a burst under a rate limit, lateness.

(a) 10,000 meetings in the database: time from the scheduler starting to every
    upcoming reminder instant of the next day having a job, and peak RSS.
(b) 1,000 reminders due in the same minute across 20 channels, delivered
    through a poster that allows one post per second per channel (an
    in-process stand-in for Slack's limit that waits as a client honouring
    Retry-After does): time to deliver all against the minimum the limit
    allows, and that none is lost.
(c) Lateness of reminders under capacity (one post per channel), fired by the
    real APScheduler wiring: p50 and p99 of (posted at - due at).

    python -m bench meetings [--meetings 10000] [--burst 1000] [--channels 20] [--lateness 300]
                             [--no-slack]

(b) runs twice: through an in-process rate-limited poster, and through the real
Slack adapter (adapters/slack/poster.py) against the fake Slack, which answers
HTTP 429 to more than one post per second in a channel.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from adapters.scheduling import Scheduler
from bench.stats import peak_rss_mib, percentile
from bot.capability_settings import Meetings
from bot.config import Config
from bot.delivery import Broadcaster
from bot.identity import Identity
from bot.meetings.model import Meeting
from bot.meetings.reminders import ReminderService
from bot.membership.model import Profile
from bot.messages import Message
from bot.ports import PostedMessage
from storage import Storage
from storage.database import database_url
from tests.scheduling.bot_process import OffsetClock

ZONES = ("America/Los_Angeles", "America/Chicago", "America/New_York", "Europe/London", "UTC")
RULES = ("", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY;BYDAY=+2TH")


class CountingPoster:
    """Accepts every post at once; records when each arrived."""

    platform = "console"

    def __init__(self, clock: OffsetClock | None = None, expected: int = 0) -> None:
        self.clock = clock
        self.posted: list[tuple[str, datetime]] = []
        self.expected = expected
        self.all_posted = asyncio.Event()

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        now = self.clock.now() if self.clock else datetime.now(UTC)
        self.posted.append((message.fallback_text().splitlines()[0], now))
        if len(self.posted) == self.expected:
            self.all_posted.set()
        return PostedMessage(self.platform, channel, str(len(self.posted)))

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        return await self.post_to_channel(f"@{identity.user_id}", message)


class RateLimitedPoster(CountingPoster):
    """At most `per_second` posts per second in each channel; an early post waits its turn."""

    def __init__(self, per_second: float) -> None:
        super().__init__()
        self.interval = 1.0 / per_second
        self.next_slot: dict[str, float] = defaultdict(float)

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        now = time.monotonic()
        slot = max(now, self.next_slot[channel])
        self.next_slot[channel] = slot + self.interval
        await asyncio.sleep(slot - now)
        return await super().post_to_channel(channel, message)


async def seed(storage: Storage, meetings: list[Meeting], created: datetime) -> None:
    async with storage.unit_of_work() as uow:
        identity = Identity("console", "local", "bench")
        admin = await uow.members.by_identity(identity) or await uow.members.add(
            Profile("Bench", "HQ"), identity, pending=False, at=created
        )
        await uow.commit()
    for start in range(0, len(meetings), 1000):
        async with storage.unit_of_work() as uow:
            for meeting in meetings[start : start + 1000]:
                await uow.meetings.add(replace(meeting, created_by=admin.id), at=created)
            await uow.commit()


async def scheduling(storage: Storage, count: int) -> None:
    rng = random.Random(5)
    now = datetime.now(UTC)
    meetings = []
    for n in range(count):
        # From 25 hours on: no reminder of these is already overdue when the bot starts.
        start = (now + timedelta(hours=rng.randrange(25, 24 * 30))).replace(
            minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0, tzinfo=None
        )
        meetings.append(
            Meeting(
                0,
                f"Meeting {n}",
                start,
                rng.choice(ZONES),
                60,
                f"channel-{n % 50}",
                rule=rng.choice(RULES),
            )
        )
    started = time.perf_counter()
    await seed(storage, meetings, now - timedelta(days=2))
    print(f"  seeded {count} meetings in {time.perf_counter() - started:.1f} s")
    broadcaster = Broadcaster()
    broadcaster.connect(CountingPoster())
    scheduler = Scheduler(storage, broadcaster, _SystemClock(), Config())
    scheduler.plan(
        ReminderService(
            storage.unit_of_work, broadcaster, _SystemClock(), Config(), owner=scheduler.owner
        )
    )
    started = time.perf_counter()
    await scheduler.start()  # leads, sweeps, and plans a job for every due instant of the next day
    elapsed = time.perf_counter() - started
    print(
        f"  (a) start -> all upcoming reminders scheduled: {elapsed * 1000:.0f} ms "
        f"({scheduler.planned} distinct due instants in the next 24 h)"
    )
    await scheduler.close()


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def burst(storage: Storage, reminders: int, channels: int, per_second: float) -> None:
    due = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
    meetings = [
        Meeting(
            0,
            f"Burst {n}",
            due.replace(tzinfo=None),
            "UTC",
            30,
            f"burst-{n % channels}",
            reminders=(),
        )
        for n in range(reminders)
    ]
    await seed(storage, meetings, due - timedelta(days=2))
    clock = OffsetClock(due)
    poster = RateLimitedPoster(per_second)
    broadcaster = Broadcaster()
    broadcaster.connect(poster)
    service = ReminderService(storage.unit_of_work, broadcaster, clock, Config(), owner="bench")
    started = time.perf_counter()
    report = await service.run_due()
    elapsed = time.perf_counter() - started
    per_channel = -(-reminders // channels)
    minimum = (per_channel - 1) / per_second  # the first post of each channel goes at once
    async with storage.engine.connect() as connection:
        sent = await connection.scalar(
            text(
                "SELECT count(*) FROM meeting_deliveries WHERE status = 'sent' AND owner = 'bench'"
            )
        )
    distinct = len({title for title, _ in poster.posted})
    print(
        f"  (b) {reminders} reminders, {channels} channels, {per_second:g}/s per channel: "
        f"{elapsed:.1f} s, minimum {minimum:.1f} s, ratio {elapsed / minimum:.3f}; "
        f"posted {len(poster.posted)} ({distinct} distinct), marked sent {sent}, "
        f"lost {reminders - distinct}, report {report}"
    )


async def burst_via_fake_slack(
    storage: Storage, reminders: int, channels: int, per_second: float
) -> None:
    """(b) again, through the real Slack adapter's poster and the fake Slack's own limit."""
    from tests.adapters.slack.harness import USERS, slack_bot
    from tests.fakes.slack import FakeSlack

    due = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
    meetings = [
        Meeting(
            0,
            f"Slack {n}",
            due.replace(tzinfo=None),
            "UTC",
            30,
            f"burst-{n % channels}",
            reminders=(),
        )
        for n in range(reminders)
    ]
    await seed(storage, meetings, due - timedelta(days=2))
    names = {f"burst-{n}": f"CB{n:04d}" for n in range(channels)}
    async with FakeSlack(users=USERS, channels=names) as fake, slack_bot(fake, storage) as (app, _):
        fake.rate_limit_per_channel(per_second)
        service = ReminderService(
            storage.unit_of_work, app.broadcaster, OffsetClock(due), Config(), owner="slack"
        )
        started = time.perf_counter()
        report = await service.run_due()
        elapsed = time.perf_counter() - started
        posted = sum(len(fake.messages_in(channel)) for channel in names.values())
        refused = sum(1 for c in fake.calls_to("chat.postMessage") if not c.ok)
    minimum = (-(-reminders // channels) - 1) / per_second
    print(
        f"  (b') same through the Slack adapter and the fake Slack ({per_second:g}/s per channel "
        f"enforced with HTTP 429): {elapsed:.1f} s, minimum {minimum:.1f} s, ratio "
        f"{elapsed / minimum:.3f}; in Slack {posted}, lost {reminders - posted}, "
        f"429s {refused}, report {report}"
    )


async def lateness(storage: Storage, count: int) -> None:
    due = datetime(2031, 3, 3, 15, 0, tzinfo=UTC)
    meetings = [
        Meeting(0, f"Late {n}", due.replace(tzinfo=None), "UTC", 30, f"late-{n}", reminders=())
        for n in range(count)
    ]
    await seed(storage, meetings, due - timedelta(days=2))
    clock = OffsetClock(due - timedelta(seconds=3))
    poster = CountingPoster(clock, expected=count)
    broadcaster = Broadcaster()
    broadcaster.connect(poster)
    config = Config(meetings=Meetings(sweep_seconds=30))
    scheduler = Scheduler(storage, broadcaster, clock, config)
    scheduler.plan(
        ReminderService(storage.unit_of_work, broadcaster, clock, config, owner=scheduler.owner)
    )
    await scheduler.start()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(poster.all_posted.wait(), timeout=60)
    await asyncio.sleep(0.5)  # let the sweep record the last posts as sent
    await scheduler.close()
    late_ms = [(at - due).total_seconds() * 1000 for _, at in poster.posted]
    print(
        f"  (c) {count} reminders due at once, one per channel: lateness "
        f"p50 {percentile(late_ms, 0.5):.0f} ms, p99 {percentile(late_ms, 0.99):.0f} ms, "
        f"max {max(late_ms):.0f} ms (posted {len(poster.posted)}/{count})"
    )


async def fresh(directory: str, name: str) -> Storage:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / name}"))
    await storage.upgrade()
    return storage


async def run(args: argparse.Namespace) -> None:
    print("meetings benchmark (SQLite file, WAL; a fresh database for each part)")
    with tempfile.TemporaryDirectory() as directory:
        storage = await fresh(directory, "a.db")
        await scheduling(storage, args.meetings)
        await storage.dispose()
        print(f"  peak RSS after (a): {peak_rss_mib():.0f} MiB")
        storage = await fresh(directory, "b.db")
        await burst(storage, args.burst, args.channels, args.per_second)
        await storage.dispose()
        if args.slack:
            storage = await fresh(directory, "b-slack.db")
            await burst_via_fake_slack(storage, args.burst, args.channels, args.per_second)
            await storage.dispose()
        storage = await fresh(directory, "c.db")
        await lateness(storage, args.lateness)
        await storage.dispose()
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench meetings")
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--burst", type=int, default=1_000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--per-second", type=float, default=1.0)
    parser.add_argument("--lateness", type=int, default=300)
    parser.add_argument(
        "--no-slack", dest="slack", action="store_false", help="skip (b) through the fake Slack"
    )
    asyncio.run(run(parser.parse_args(argv)))
