"""APScheduler, driven by the database: when to run the capabilities' timed work.

The database is the source of truth. The core computes what is due and claims
each delivery once (meeting reminders: bot/meetings/reminders.py, registered as
timed work by bot/meetings/capability.py); this module only decides *when* to
ask it:

- a job at each instant something becomes due in the next day (planned on
  start and again after every sweep and every meeting change),
- a sweep every `sweep_seconds` as a safety net (catches changes made by other
  replicas, retries failed posts),
- an immediate sweep when storage says something changed (a meeting) or a
  platform connects.

Only the leader sweeps: on PostgreSQL the holder of an advisory lock, which a
standby tries to take every `leader_check_seconds`; on SQLite the only instance.

Periodic work (the capabilities' jobs) runs through `Scheduler.every` (exposed
as `App.every`): for example the resource library's queued review posts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.capability import TimedWork
from bot.clock import Clock
from bot.config import Config
from bot.delivery import Broadcaster
from storage import Storage
from storage.leader import Leadership, leadership_for

log = logging.getLogger(__name__)

# How far ahead due instants become jobs; the periodic sweep re-plans long before.
PLAN_AHEAD = timedelta(hours=24)
Periodic = Callable[[], Awaitable[object]]


class Signal(Protocol):
    """Something storage calls after a commit that changed when work is due."""

    def subscribe(self, listener: Callable[[], None]) -> None: ...

    def unsubscribe(self, listener: Callable[[], None]) -> None: ...


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    seconds: float
    work: Periodic
    leader_only: bool = True


def instance_name() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Scheduler:
    def __init__(
        self,
        storage: Storage,
        broadcaster: Broadcaster,
        clock: Clock,
        config: Config,
        *,
        leadership: Leadership | None = None,
        owner: str | None = None,
        wake_on: tuple[Signal, ...] = (),
    ) -> None:
        self.clock = clock
        self.config = config
        self.broadcaster = broadcaster
        self.owner = owner or instance_name()
        self._timed: list[TimedWork] = []
        self._wake_on = wake_on
        self.leadership = leadership or leadership_for(storage, self._changed_elsewhere, self.owner)
        self.is_leader = False
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._periodic: list[PeriodicJob] = []
        self._planned: set[str] = set()
        self._platforms: tuple[str, ...] = ()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.sweeps = 0  # how many sweeps ran: for tests and logs
        self._closing = False
        self._sweeping = asyncio.Lock()  # one plan at a time
        self._delivering: set[asyncio.Task[Any]] = set()  # sweeps running now

    # -- life cycle -------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        settings = self.config.meetings
        self._scheduler.start()
        self._add(
            self._check_leader, IntervalTrigger(seconds=settings.leader_check_seconds), "leader"
        )
        self._add(self._watch_platforms, IntervalTrigger(seconds=1), "platforms")
        self._add(self.sweep, IntervalTrigger(seconds=settings.sweep_seconds), "sweep")
        for job in self._periodic:
            self._add_periodic(job)
        for signal in self._wake_on:
            signal.subscribe(self.wake)
        await self._check_leader()

    async def close(self) -> None:
        """Stop cleanly: no new sweep starts, a running one finishes its posts first."""
        self._closing = True
        for signal in self._wake_on:
            signal.unsubscribe(self.wake)
        running = self._delivering - {asyncio.current_task()}
        if running:  # every running sweep finishes its posts first
            await asyncio.wait(running)
        async with self._sweeping:
            pass
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.leadership.release()
        self.is_leader = False

    def plan(self, work: TimedWork) -> None:
        """Run `work` when it is due (it says when) and on every sweep; only on the leader."""
        self._timed.append(work)

    def every(
        self, seconds: float, work: Periodic, *, name: str | None = None, leader_only: bool = True
    ) -> None:
        """Run `work()` every `seconds`; by default only on the instance that leads."""
        label = name or str(getattr(work, "__name__", "job"))
        job = PeriodicJob(label, seconds, work, leader_only)
        self._periodic.append(job)
        if self._scheduler.running:
            self._add_periodic(job)

    @property
    def periodic(self) -> tuple[PeriodicJob, ...]:
        """The work run every so often (App.every), in the order it was given."""
        return tuple(self._periodic)

    def _add_periodic(self, job: PeriodicJob) -> None:
        async def run() -> None:
            if job.leader_only and not self.is_leader:
                return
            try:
                await job.work()
            except Exception:
                log.exception("periodic job %s failed", job.name)

        self._add(run, IntervalTrigger(seconds=job.seconds), f"every:{job.name}")

    def _add(self, work: Callable[[], Awaitable[None]], trigger: Any, job_id: str) -> None:
        self._scheduler.add_job(
            work,
            trigger,
            id=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,  # late is better than never: the core applies the grace
        )

    # -- leadership and wake-ups -----------------------------------------------------

    async def _check_leader(self) -> None:
        was = self.is_leader
        self.is_leader = await self.leadership.acquire()
        if self.is_leader and not was:
            log.info("scheduler %s leads; catching up on anything due", self.owner)
            await self.sweep()
        elif was and not self.is_leader:
            log.warning("scheduler %s no longer leads; stopping its timed jobs", self.owner)
            self._unplan(set())

    async def _watch_platforms(self) -> None:
        platforms = tuple(sorted(self.broadcaster.platforms))
        if platforms != self._platforms:
            self._platforms = platforms
            await self.sweep()

    def wake(self) -> None:
        """Sweep as soon as possible: a meeting changed (safe to call from any callback)."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._spawn_sweep)

    def _changed_elsewhere(self) -> None:
        self.wake()

    def _spawn_sweep(self) -> None:
        task = asyncio.ensure_future(self.sweep())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the work -------------------------------------------------------------------

    async def sweep(self) -> None:
        """Deliver what is due, then plan a job for each instant something becomes due.

        Sweeps overlap (the work claims one sweep at a time itself): one still posting
        a slow fan-out does not hold up a reminder due later."""
        if not self.is_leader or not self.broadcaster.platforms or self._closing:
            return
        task = asyncio.current_task()
        if task is not None:
            self._delivering.add(task)
        try:
            for work in self._timed:
                log.debug("swept %s: %s", type(work).__name__, await work.run_due())
            async with self._sweeping:
                self.sweeps += 1
                await self._plan()
        except Exception:
            log.exception("the sweep failed; the next one tries again")
        finally:
            self._delivering.discard(task)

    async def _plan(self) -> None:
        due = sorted(
            {t for work in self._timed for t in await work.next_due(self.clock.now() + PLAN_AHEAD)}
        )
        # The core's clock may be offset from the wall clock (demos, tests): a job fires
        # at the instant on the core's clock. Both are read after the query, and together:
        # one read before it made every job late by the query's duration.
        offset = datetime.now(UTC) - self.clock.now()
        wanted: set[str] = set()
        for instant in due:
            job_id = f"due:{instant.isoformat()}"
            wanted.add(job_id)
            if job_id in self._planned and self._scheduler.get_job(job_id) is not None:
                continue  # planned, not fired yet (one that fired too early is planned again)
            self._add(self.sweep, DateTrigger(run_date=instant + offset), job_id)
        self._unplan(wanted)
        self._planned = wanted

    def _unplan(self, keep: set[str]) -> None:
        for job_id in self._planned - keep:
            if self._scheduler.get_job(job_id) is not None:
                self._scheduler.remove_job(job_id)
        if not keep:
            self._planned = set()

    @property
    def running(self) -> bool:
        """Started and not closing: its jobs (leader checks, sweeps) fire."""
        return bool(self._scheduler.running) and not self._closing

    @property
    def planned_instants(self) -> list[datetime]:
        """The due instants that have a job, in order: for tests."""
        return sorted(
            datetime.fromisoformat(job_id.removeprefix("due:")) for job_id in self._planned
        )

    @property
    def planned(self) -> int:
        """How many due instants have a job: for the benchmark and tests."""
        return len(self._planned)
