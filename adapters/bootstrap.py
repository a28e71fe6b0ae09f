"""The single place where the core, storage and the clock are put together."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from adapters.scheduling import Periodic, Scheduler
from bot.clock import Clock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.discussions.digest_delivery import post_digest
from bot.discussions.replies import notify_followers
from bot.dispatcher import Dispatcher
from bot.registry import build_catalogue
from bot.resources.posting import RETRY_EVERY, post_queued_reviews
from storage import Storage

if TYPE_CHECKING:
    from adapters.http import HttpServer
    from adapters.metrics import Metrics

FOLLOWER_CHECK_SECONDS = 60
DIGEST_CHECK_SECONDS = 60
REPLY_FLUSH_SECONDS = 1


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
        await self.storage.listen()
        if self.scheduler is not None:
            await self.scheduler.start()

    async def close(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.close()
        # Reply counts still buffered are written before the database goes.
        await self.dispatcher.services.replies.flush()
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
# 700, suits scripts: a bot answering twenty commands at once would collect while most
# of their objects are still in use, and carry them into the older generations.
YOUNG_COLLECTION_EVERY = 50_000


def tune_gc() -> None:
    """Set the garbage collector for a long-running server; once, after start-up.

    - What is alive after start-up is frozen, out of the collector's way. A bot keeps
      what it loaded at start (modules, the catalogue, SQLAlchemy's mappers, the
      translations) until it stops; without this each full collection walks all of it
      again (some 20 µs a command on average). Frozen objects are still freed when
      nothing refers to them.
    - The young generation is collected every YOUNG_COLLECTION_EVERY new objects
      rather than every 700: most of a command's objects are then freed by reference
      counting before a collection would look at them. In runs of bench/slack.py side
      by side, at 20 commands at once, it took the bot from 0.72 to 0.78 of a bare
      Bolt app's throughput; memory grows only by the cyclic garbage of the wait.

    Called by `coalition-bot run`, not in tests, where the apps of earlier tests would
    be frozen with their reference cycles.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)


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
    dispatcher = Dispatcher(
        build_catalogue(), storage.unit_of_work, clock, config, broadcaster=broadcaster
    )
    scheduler = Scheduler(storage, broadcaster, clock, config)
    app = App(config, secrets, storage, dispatcher, broadcaster, clock, scheduler)
    # Suggested resources whose review post failed (or found no platform yet) are posted again.
    app.every(
        RETRY_EVERY.total_seconds(),
        partial(post_queued_reviews, dispatcher.services),
        name="resource-review-posts",
    )
    # Reply events are buffered (bot/discussions/ingest.py); this writes a quiet moment's
    # within a second (an empty buffer costs nothing). Every instance holds its own events, so not only the leader.
    app.every(
        REPLY_FLUSH_SECONDS,
        dispatcher.services.replies.flush,
        name="discussion-reply-counts",
        leader_only=False,
    )
    # Followers' batched notices: each discussion is told at most once per notify_minutes;
    # looking every minute keeps a batch at most a minute late.
    app.every(
        FOLLOWER_CHECK_SECONDS,
        partial(notify_followers, dispatcher.services),
        name="discussion-follower-notices",
    )
    # The weekly digest: looking every minute posts it within a minute of its time,
    # once (claimed like reminders), and after a restart if it was missed.
    app.every(
        DIGEST_CHECK_SECONDS,
        partial(post_digest, dispatcher.services, owner=scheduler.owner),
        name="weekly-digest",
    )
    return app
