"""Posting claimed deliveries, and writing down how each post went.

Each destination is one queue (posts in one channel stay in order, and a platform's
per-channel limit is not hammered); queues run side by side, at most `PARALLEL_POSTS`
at once in each lane: one lane per platform for channels and one for people
(`Lanes`, shared by every sweep of an instance). So Slack DMs waiting on a rate limit
never hold up Discord, and a reminder in a channel never waits behind anyone's DM.

How each post went (sent, or failed and when to try again) is an `Outcome`, kept in
memory until it is written. The writes trail the posts, many per transaction, and a
write that fails (the database is gone for a moment) is tried again with growing
waits, a few times, then at the start of every later sweep. A post in flight, or whose
"sent" mark is not written yet, is never taken again by this instance
(`Outcomes.pending`): sweeps overlap, and a later one must not retake an earlier
one's claims while they are still being posted. Nor does another instance: while
they are, their claims are refreshed (`Heartbeat`), so they never look stale. If the
process dies before the mark is written, the row stays claimed and another instance
takes it over after the claim timeout: it is posted again with `recheck`, which asks
the platform whether it was posted already where the platform can tell.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.meetings.jobs import Job, SweepReport
from bot.meetings.model import Delivery
from bot.meetings.ports import SentMark
from bot.messages import ToChannel
from bot.ports import PostedMessage, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Posts made at once on one platform, to channels and to people apart; within one
# destination they go in order.
PARALLEL_POSTS = 64
# Tries to write the outcomes of a sweep's posts before leaving them to the next sweep.
WRITE_TRIES = 4


@dataclass(frozen=True, slots=True)
class Sent:
    delivery_id: int
    posted: tuple[PostedMessage, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class Failed:
    delivery_id: int
    reason: str
    retry_at: datetime | None  # None: given up
    at: datetime


Outcome = Sent | Failed


class Outcomes:
    """How posts went, kept until written to the database."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, backoff_seconds: float = 0.2) -> None:
        self.unit_of_work = unit_of_work
        self.backoff_seconds = backoff_seconds
        self._unwritten: dict[int, Outcome] = {}
        self._posting: set[int] = set()

    def posting(self, delivery_ids: Iterable[int]) -> None:
        """Deliveries about to be posted: pending until their outcome is added."""
        self._posting.update(delivery_ids)

    def settled(self, delivery_ids: Iterable[int]) -> None:
        """Deliveries no longer being posted, whether or not their outcome was added."""
        self._posting.difference_update(delivery_ids)

    def add(self, outcome: Outcome) -> None:
        self._unwritten[outcome.delivery_id] = outcome
        self._posting.discard(outcome.delivery_id)

    @property
    def pending(self) -> set[int]:
        """Deliveries being posted here, or whose outcome is known here but not yet in
        the database."""
        return set(self._unwritten) | self._posting

    async def write(self, tries: int = WRITE_TRIES) -> bool:
        """Write every kept outcome; True when none is left. Waits 1, 2, 4... times
        `backoff_seconds` between tries; what is still unwritten stays for later."""
        for attempt in range(tries):
            if not self._unwritten:
                return True
            if attempt:
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            batch = dict(self._unwritten)
            try:
                await self._write(list(batch.values()))
            except Exception as error:  # the database is unreachable: kept, tried again
                log.warning(
                    "could not write how %d posts went (try %d of %d): %s",
                    len(batch),
                    attempt + 1,
                    tries,
                    error,
                )
                continue
            for delivery_id, outcome in batch.items():
                if self._unwritten.get(delivery_id) is outcome:
                    del self._unwritten[delivery_id]
        return not self._unwritten

    async def _write(self, outcomes: Sequence[Outcome]) -> None:
        # Every "sent" mark of the batch in one statement; failures are few, one each.
        marks = [SentMark(o.delivery_id, o.posted, o.at) for o in outcomes if isinstance(o, Sent)]
        async with self.unit_of_work() as uow:
            await uow.deliveries.sent_many(marks)
            for outcome in outcomes:
                if isinstance(outcome, Failed):
                    await uow.deliveries.failed(
                        outcome.delivery_id,
                        outcome.reason,
                        retry_at=outcome.retry_at,
                        at=outcome.at,
                    )
            await uow.commit()


class Heartbeat:
    """Keeps this instance's claims still queued or in flight from looking stale.

    A long fan-out (Slack opens DM channels about 50 a minute) keeps claims `claimed`
    far past `claim_timeout_seconds`; another instance (a new leader) would take them
    over as stale and post them again. So while posts are under way, their claims'
    `claimed_at` is moved on every `every_seconds` (a third of the timeout), in one
    UPDATE of the rows still this owner's claims. A beat that fails is logged and
    tried at the next one; the posts never wait for it."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        owner: str,
        every_seconds: float,
        wait: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.owner = owner
        self.every_seconds = every_seconds
        self.wait = wait  # between beats; tests pass one they control

    async def beat(self, delivery_ids: Collection[int]) -> int:
        """Refresh these claims now (those still this instance's); how many were."""
        async with self.unit_of_work() as uow:
            refreshed = await uow.deliveries.refresh(
                delivery_ids, owner=self.owner, at=self.clock.now()
            )
            await uow.commit()
        return refreshed

    async def keep(self, held: Callable[[], Collection[int]]) -> None:
        """Beat for the claims `held()` names, until cancelled."""
        while True:
            await self.wait(self.every_seconds)
            delivery_ids = held()
            if not delivery_ids:
                continue
            try:  # bounded: a beat that hangs gives way to the next one
                await asyncio.wait_for(self.beat(delivery_ids), timeout=self.every_seconds)
            except Exception as error:  # the database is away: the next beat tries again
                log.warning("could not refresh %d claims in flight: %s", len(delivery_ids), error)


def failure(delivery: Delivery, error: Exception, config: Config, now: datetime) -> Failed:
    """A failed post: tried again after retry_seconds x 2^(attempt-1), or given up."""
    settings = config.meetings
    retry_at: datetime | None = None
    if delivery.attempts < settings.max_attempts:
        retry_at = now + timedelta(seconds=settings.retry_seconds * 2 ** (delivery.attempts - 1))
    reason = f"{type(error).__name__}: {error}"
    log.warning(
        "posting %s for meeting %s to %s failed (attempt %s): %s; %s",
        delivery.key.kind.value,
        delivery.key.meeting_id,
        delivery.key.target,
        delivery.attempts,
        reason,
        f"retrying at {retry_at.isoformat()}" if retry_at else "giving up",
        extra={"delivery_key": delivery.key.token},
    )
    return Failed(delivery.id, reason, retry_at, now)


class Lanes:
    """How many posts go at once: `size` per platform for channels, as many for people."""

    def __init__(self, size: int = PARALLEL_POSTS) -> None:
        self.size = size
        self._lanes: dict[tuple[str, bool], asyncio.Semaphore] = {}

    def of(self, job: Job) -> asyncio.Semaphore:
        lane = (job.platform, job.direct)
        if lane not in self._lanes:
            self._lanes[lane] = asyncio.Semaphore(self.size)
        return self._lanes[lane]


def queues(jobs: Sequence[Job]) -> list[list[Job]]:
    """One queue per destination, every channel's before any person's."""
    found: dict[tuple[bool, str, str], list[Job]] = defaultdict(list)
    for job in jobs:
        place = job.to.channel if isinstance(job.to, ToChannel) else str(job.delivery.key.target)
        found[(job.direct, job.platform, place)].append(job)
    return [found[k] for k in sorted(found, key=lambda k: k[0])]  # stable: channels first


async def post_all(
    jobs: Sequence[Job],
    broadcaster: Broadcaster,
    outcomes: Outcomes,
    clock: Clock,
    config: Config,
    report: SweepReport,
    lanes: Lanes | None = None,
    heartbeat: Heartbeat | None = None,
) -> None:
    """Post every job once, and write how each went (see the module's docstring);
    `heartbeat` keeps the claims fresh until their marks are written."""
    outcomes.posting(job.delivery.id for job in jobs)
    ids = {job.delivery.id for job in jobs}
    beating = (
        asyncio.ensure_future(heartbeat.keep(lambda: ids & outcomes.pending))
        if heartbeat is not None and jobs
        else None
    )
    lanes = lanes or Lanes()
    done: asyncio.Queue[Outcome | None] = asyncio.Queue()
    tried: set[int] = set()

    async def drain(queue: list[Job]) -> None:
        async with lanes.of(queue[0]):
            for job in queue:
                tried.add(job.delivery.id)
                try:
                    posted = await broadcaster.send(
                        job.platform,
                        job.to,
                        job.message,
                        key=job.delivery.key.token,
                        recheck=job.recheck,
                    )
                except Exception as error:  # any platform failure: recorded, retried later
                    done.put_nowait(failure(job.delivery, error, config, clock.now()))
                    report.failed += 1
                    continue
                done.put_nowait(Sent(job.delivery.id, tuple(posted), clock.now()))
                report.sent += 1

    recording = asyncio.ensure_future(_record(done, outcomes))
    try:
        await asyncio.gather(*(drain(q) for q in queues(jobs)))
    finally:
        # Stopped before some posts (the sweep was cancelled): those are handed back,
        # to be taken again at once by whichever instance sweeps next.
        now = clock.now()
        for job in jobs:
            if job.delivery.id not in tried:
                done.put_nowait(Failed(job.delivery.id, "handed back unposted", now, now))
        done.put_nowait(None)
        try:
            await recording
            await outcomes.write()
        finally:  # kept from retakes no longer than this call: stale, it is taken again
            if beating is not None:
                beating.cancel()
                await asyncio.gather(beating, return_exceptions=True)
            outcomes.settled(job.delivery.id for job in jobs)


async def _record(done: asyncio.Queue[Outcome | None], outcomes: Outcomes) -> None:
    """Write outcomes as they come, many per transaction, so posting never waits for
    the database (the marks trail the posts by one commit); one try each batch here,
    the last write of the sweep tries again."""
    finished = False
    while not finished:
        batch = [await done.get()]
        while not done.empty():
            batch.append(done.get_nowait())
        finished = None in batch
        for outcome in batch:
            if outcome is not None:
                outcomes.add(outcome)
        if not finished:
            await outcomes.write(tries=1)
