"""Reply events, buffered and written in batches: counts at the rate platforms send them.

One transaction per platform message event managed a few hundred events a
second; a busy coalition (or a reconnect replaying a backlog) sends more. So
adapters hand each event to a `ReplyIngest`, which keeps, per discussion, how
many replies came in and the latest time, and writes them all in one
transaction every `FLUSH_EVERY` (by the injected clock, checked as events come
and by a periodic job for quiet moments), every `FLUSH_EVENTS` events, and when
the bot stops (App.close).

The trade-off: a crash loses the counts of at most the last unflushed interval
(a second or so of replies). Counts are statistics, not messages: nobody's words
are lost, and the next replies are counted as usual (docs/ARCHITECTURE.md).

Threads the bot did not open are dropped without a write: the threads of open
discussions are loaded once (one query) and remembered; a thread not among them
is looked up (it may have been opened since) and, if nobody's, remembered for
`UNKNOWN_FOR`, so a busy channel's other threads cost one lookup a minute each.
A discussion found closed at a flush is forgotten.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.discussions.model import ReplyCount
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

FLUSH_EVERY = timedelta(seconds=1)
FLUSH_EVENTS = 20_000
UNKNOWN_FOR = timedelta(minutes=1)
UNKNOWN_MAX = 50_000  # remembered foreign threads; forgotten all at once past this

ThreadKey = tuple[str, str, str]  # platform, channel, thread


@dataclass(slots=True)
class _Pending:
    count: int
    latest: datetime


class ReplyIngest:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        *,
        flush_every: timedelta = FLUSH_EVERY,
        flush_events: int = FLUSH_EVENTS,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._flush_every = flush_every
        self._flush_events = flush_events
        self._known: dict[ThreadKey, int] = {}  # thread -> its open discussion
        self._loaded = False
        self._unknown: dict[ThreadKey, datetime] = {}  # thread -> when found to be nobody's
        self._pending: dict[int, _Pending] = {}
        self._events = 0  # events in _pending
        self._flushed_at = clock.now()
        self._flushing = asyncio.Lock()
        self.writes = 0  # transactions written: for the benchmark and logs
        self._failing = False  # the last write failed: wait an interval, not an event

    @property
    def pending(self) -> int:
        """Events received and not yet written."""
        return self._events

    async def record(self, platform: str, channel: str, thread: str, at: datetime) -> bool:
        """Take one reply event; False when the thread is not an open discussion's (dropped)."""
        discussion_id = await self._discussion_of((platform, channel, thread))
        if discussion_id is None:
            return False
        pending = self._pending.get(discussion_id)
        if pending is None:
            self._pending[discussion_id] = _Pending(1, at)
        else:
            pending.count += 1
            # Events may arrive out of order: last activity is the latest, not the last.
            pending.latest = max(pending.latest, at)
        self._events += 1
        if (
            self._events >= self._flush_events and not self._failing
        ) or self._clock.now() - self._flushed_at >= self._flush_every:
            await self.flush()
        return True

    async def flush(self) -> int:
        """Write what is buffered in one transaction; how many events were counted.

        If the database is unreachable the counts stay buffered for the next flush.
        """
        async with self._flushing:
            self._flushed_at = self._clock.now()
            if not self._pending:
                return 0
            batch, events = self._pending, self._events
            self._pending, self._events = {}, 0
            # In id order: two instances writing the same rows lock them in the same order.
            counts = [ReplyCount(i, p.count, p.latest) for i, p in sorted(batch.items())]
            try:
                async with self._unit_of_work() as uow:
                    counted = await uow.discussions.add_replies(counts)
                    await uow.commit()
                self.writes += 1
            except Exception:
                log.exception("could not write %d reply events; kept for the next try", events)
                self._restore(batch, events)
                self._failing = True
                return 0
            self._failing = False
            closed = {c.discussion_id for c in counts} - counted
            if closed:
                # Closed since they were looked up: their threads no longer count.
                self._known = {k: i for k, i in self._known.items() if i not in closed}
            return sum(c.count for c in counts if c.discussion_id in counted)

    def _restore(self, batch: dict[int, _Pending], events: int) -> None:
        for discussion_id, old in batch.items():
            pending = self._pending.get(discussion_id)
            if pending is None:
                self._pending[discussion_id] = old
            else:
                pending.count += old.count
                pending.latest = max(pending.latest, old.latest)
        self._events += events

    async def _discussion_of(self, key: ThreadKey) -> int | None:
        found = self._known.get(key)
        if found is not None:
            return found
        if not self._loaded:
            # Once, at the first event: a burst after a restart costs one query, not
            # one per thread.
            async with self._unit_of_work() as uow:
                self._known.update(await uow.discussions.open_threads())
            self._loaded = True
            found = self._known.get(key)
            if found is not None:
                return found
        now = self._clock.now()
        checked = self._unknown.get(key)
        if checked is not None and now - checked < UNKNOWN_FOR:
            return None
        async with self._unit_of_work() as uow:
            found = await uow.discussions.opened_thread(*key)
        if found is None:
            if len(self._unknown) >= UNKNOWN_MAX:
                self._unknown.clear()
            self._unknown[key] = now
        else:
            self._unknown.pop(key, None)
            self._known[key] = found
        return found
