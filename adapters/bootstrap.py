"""The single place where the core, storage and the clock are put together."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from adapters.scheduling import Periodic, Scheduler, instance_name
from bot.clock import Clock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.registry import CAPABILITIES, build_catalogue, listeners, parts
from storage import Storage

if TYPE_CHECKING:
    from adapters.http import HttpServer
    from adapters.metrics import Metrics


# Claims on platform deliveries (storage/interactions.py: Slack's retried events,
# Discord's interactions and messages) are of no use once expired, whichever platform
# made them: one job deletes them all, on the leader.
PURGE_CLAIMS_SECONDS = 5 * 60


class SystemClock:
    """The wall clock; the only one outside tests. The core never reads time any other way."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class App:
    config: Config
    secrets: Secrets
    storage: Storage
    dispatcher: Dispatcher
    broadcaster: Broadcaster
    clock: Clock
    # Reminders and other timed work; None only for an App built by hand.
    scheduler: Scheduler | None = None
    # Set while `coalition-bot run` serves HTTP (adapters/operations.py): platforms
    # reached over HTTP mount their routes on it, and report 429s to the metrics.
    http: HttpServer | None = None
    metrics: Metrics | None = None

    async def start(self) -> None:
        """Bring the schema up to date before anything reads it, then start the timed work."""
        await self.storage.upgrade()
        if self.scheduler is not None:
            await self.scheduler.start()

    async def close(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.close()
        for capability in CAPABILITIES:  # buffered reply counts, before the database goes
            for stop in capability.on_stop:
                await stop(self.dispatcher.services)
        await self.storage.dispose()

    def every(
        self, seconds: float, work: Periodic, *, name: str | None = None, leader_only: bool = True
    ) -> None:
        """Run `await work()` every `seconds` while the bot runs.

        For periodic work of any capability (queued review posts, digests). With
        several replicas on PostgreSQL it runs only on the one that leads, unless
        leader_only=False. Call it before or after start().
        """
        assert self.scheduler is not None, "build the App with build_app to schedule work"
        self.scheduler.every(seconds, work, name=name, leader_only=leader_only)


# Collections of the young generation, every this many new objects. Python's default,
# 700, suits scripts; a server answering several commands at once would collect while
# their objects are still in use and carry them into the older generations. But a
# collection pauses everything for as long as it takes to walk the young objects: at
# 50,000 those pauses reached 25 to 70 ms under `python -m bench web` (a page's p99),
# at 5,000 they stay under about 15 ms for the same CPU in all.
YOUNG_COLLECTION_EVERY = 5_000


def tune_gc() -> None:
    """Set the garbage collector for a long-running server; once, after start-up.

    - What is alive after start-up (modules, the catalogue, SQLAlchemy's mappers, the
      translations) is kept until the bot stops, so it is frozen, out of the
      collector's way. Frozen objects are still freed when nothing refers to them.
    - The young generation is collected every YOUNG_COLLECTION_EVERY new objects: most
      of a command's objects are then freed by reference counting before a
      collection would look at them.

    Called by `coalition-bot run`, not in tests, where the apps of earlier tests would
    be frozen with their reference cycles.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)


async def forget_expired_claims(storage: Storage, clock: Clock) -> int:
    """Delete every platform's delivery claims past their expiry; how many went."""
    return await storage.interactions.forget_expired(clock.now())


def build_app(
    config: Config,
    secrets: Secrets,
    *,
    clock: Clock | None = None,
    storage: Storage | None = None,
) -> App:
    clock = clock or SystemClock()
    storage = storage or Storage.from_config(config.database.url, secrets.database_password)
    broadcaster = Broadcaster()
    owner = instance_name()
    dispatcher = Dispatcher(
        build_catalogue(),
        storage.unit_of_work,
        clock,
        config,
        broadcaster=broadcaster,
        parts=parts(),
        listeners=listeners(),
        instance=owner,
    )
    scheduler = Scheduler(storage, broadcaster, clock, config, owner=owner, wake_on=storage.changes)
    app = App(config, secrets, storage, dispatcher, broadcaster, clock, scheduler)
    services = dispatcher.services
    for capability in CAPABILITIES:
        for kind in capability.timed:
            scheduler.plan(services.get(kind))
        for job in capability.jobs:
            app.every(
                job.seconds, partial(job.work, services), name=job.name, leader_only=job.leader_only
            )
    app.every(
        PURGE_CLAIMS_SECONDS,
        partial(forget_expired_claims, storage, clock),
        name="forget-expired-claims",
    )
    return app
