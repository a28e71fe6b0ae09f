"""Two scheduler instances on one PostgreSQL database: one leads, each reminder goes out once,
and when the leader dies the other takes over."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.scheduling import Scheduler
from bot.capability_settings import Meetings
from bot.config import Config
from bot.delivery import Broadcaster
from bot.identity import Identity
from bot.meetings.model import Meeting
from bot.meetings.reminders import ReminderService
from bot.membership.model import Profile
from storage import Storage
from storage.leader import LOCK_NAME
from tests.databases import postgres_storage
from tests.scheduling.bot_process import OffsetClock
from tests.scheduling.support import RefPoster

pytestmark = pytest.mark.postgres
CONFIG = Config(meetings=Meetings(leader_check_seconds=1, sweep_seconds=1, claim_timeout_seconds=1))
M = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
WAIT = 30.0


async def seed(storage: Storage, start: datetime, prefix: str, count: int) -> None:
    created = M - timedelta(days=2)
    async with storage.unit_of_work() as uow:
        admin = await uow.members.by_identity(Identity("console", "local", "admin"))
        if admin is None:
            admin = await uow.members.add(
                Profile("Dana", "HQ"),
                Identity("console", "local", "admin"),
                pending=False,
                at=created,
            )
        for n in range(count):
            meeting = Meeting(
                0,
                f"{prefix}-{n}",
                start.replace(tzinfo=None),
                "UTC",
                30,
                f"{prefix}{n % 3}",
                reminders=(),
                created_by=admin.id,
            )
            await uow.meetings.add(meeting, at=created)
        await uow.commit()


async def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.05)


async def wait_until_sent(storage: Storage, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        async with storage.engine.connect() as connection:
            sent = await connection.scalar(
                text("SELECT count(*) FROM meeting_deliveries WHERE status = 'sent'")
            )
        if sent == count:
            return
        assert time.monotonic() < deadline, "not sent in time"
        await asyncio.sleep(0.05)


async def crash(storage: Storage, scheduler: Scheduler) -> None:
    """As if the leader's process died: its jobs stop and PostgreSQL ends its session."""
    scheduler._scheduler.shutdown(wait=False)
    async with storage.engine.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
                # this schema's lock only (storage/leader.py), not another test's
                " AND (classid::bigint << 32 | objid::bigint)"
                " = hashtextextended(:name || current_schema(), 0)"
            ),
            {"name": LOCK_NAME},
        )
        await connection.commit()


async def test_one_leader_each_reminder_once_and_takeover_after_a_crash() -> None:
    async with postgres_storage() as storage:
        async with storage.engine.connect() as connection:
            schema = await connection.scalar(text("SELECT current_schema()"))
        other = Storage(storage.url, connect_args={"server_settings": {"search_path": str(schema)}})
        clock = OffsetClock(M - timedelta(seconds=1.5))
        await seed(storage, M, "first", 9)
        await seed(storage, M + timedelta(minutes=1), "second", 9)
        poster = RefPoster()
        schedulers = []
        for store in (storage, other):
            broadcaster = Broadcaster()
            broadcaster.connect(poster)
            scheduler = Scheduler(store, broadcaster, clock, CONFIG)
            scheduler.plan(
                ReminderService(
                    store.unit_of_work, broadcaster, clock, CONFIG, owner=scheduler.owner
                )
            )
            schedulers.append(scheduler)
        try:
            await asyncio.gather(*(s.start() for s in schedulers))
            assert sorted(s.is_leader for s in schedulers) == [False, True]
            leader = next(s for s in schedulers if s.is_leader)
            standby = next(s for s in schedulers if not s.is_leader)

            await wait_for(lambda: len(poster.posts) >= 9)
            # It dies between reminders (a post in flight at the moment of a crash
            # may be repeated once after the claim timeout: see docs/ARCHITECTURE.md).
            await wait_until_sent(storage, 9)
            await crash(storage, leader)
            await wait_for(lambda: standby.is_leader)
            clock.jump(M + timedelta(minutes=1) - clock.now())  # the second batch is due
            await wait_for(lambda: len(poster.posts) >= 18)
            # Two more sweeps (one at a time: the first waits for any still running)
            # find nothing left to send.
            swept = standby.sweeps
            for _ in range(2):
                await standby.sweep()
            assert standby.sweeps >= swept + 2  # its own periodic sweep may run too

            titles = Counter(p.message.fallback_text().splitlines()[0] for p in poster.posts)
            assert len(titles) == 18 and set(titles.values()) == {1}
            async with storage.engine.connect() as connection:
                owners = (
                    await connection.execute(
                        text("SELECT owner, count(*) FROM meeting_deliveries GROUP BY owner")
                    )
                ).all()
            # The first batch went out from the leader, the second from the one that took over.
            assert sorted(n for _, n in owners) == [9, 9]
        finally:
            for scheduler in schedulers:
                await scheduler.close()
            await other.dispose()


async def test_the_lock_is_exclusive_and_the_leader_hears_changes_made_elsewhere() -> None:
    from storage.leader import PostgresAdvisoryLock

    async with postgres_storage() as storage:
        heard = asyncio.Event()
        first = PostgresAdvisoryLock(storage, on_change=heard.set)
        second = PostgresAdvisoryLock(storage)
        try:
            assert await first.acquire()
            assert await first.acquire()  # kept
            assert not await second.acquire()
            # A meeting saved through another connection (another replica) is announced.
            await seed(storage, M, "elsewhere", 1)
            await asyncio.wait_for(heard.wait(), WAIT)
            await first.release()
            assert await second.acquire()
        finally:
            await first.release()
            await second.release()
