"""Writers of one process take the SQLite write lock in turn, first come first served.

SQLite lets one transaction write at a time. A second writer waits in SQLite's busy
handler, which naps and retries (up to 100 ms a nap) and is not fair: under a burst
(2,000 votes in 10 seconds) an unlucky writer can keep missing the lock until the
busy timeout and be refused, "database unavailable". Queued here instead, each waits
for the ones before it and is never refused for it; the busy timeout is left to cover
other processes (the CLI, a second bot during a restart). PostgreSQL locks rows, not
the database: it has no turn.

An urgent writer (an interaction's claim, made before the platform is acknowledged,
which Slack wants within 3 seconds) goes before the units of work still waiting:
the work a click starts can wait for its turn, its acknowledgement should not.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

# Set while this task (and the tasks it starts) holds the turn: a unit of work opened
# inside another must not queue behind its own caller.
_HOLDING: ContextVar[bool] = ContextVar("coalition_write_turn", default=False)
# A writer waits this long at most: a burst's queue is a few transactions long (the
# platforms' answers run 8 at a time), so a wait this long means a unit of work is
# waiting on another task that waits for the turn. Better refused than stuck.
TURN_TIMEOUT = 30.0


class WriteTurn:
    def __init__(self, timeout: float = TURN_TIMEOUT) -> None:
        self._timeout = timeout
        self._taken = False
        # The urgent waiters, then the others; each in the order they came.
        self._waiting: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())

    async def acquire(self, *, urgent: bool = False) -> bool:
        """Wait for the turn; False if this task holds it already (nothing to release).

        TimeoutError if it does not come within the timeout.
        """
        if _HOLDING.get():
            return False
        if self._taken:
            handed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting[0 if urgent else 1].append(handed)
            try:
                # On timeout `handed` is cancelled, and skipped when the turn passes on.
                await asyncio.wait_for(handed, self._timeout)
            except asyncio.CancelledError:
                if handed.done() and not handed.cancelled():
                    self._pass_on()  # handed the turn, but cancelled before taking it
                raise
        self._taken = True
        _HOLDING.set(True)
        return True

    def release(self) -> None:
        _HOLDING.set(False)
        self._pass_on()

    def _pass_on(self) -> None:
        for queue in self._waiting:
            while queue:
                handed = queue.popleft()
                if not handed.done():  # a waiter cancelled meanwhile is skipped
                    handed.set_result(None)  # the turn stays taken, now theirs
                    return
        self._taken = False

    @asynccontextmanager
    async def held(self, *, urgent: bool = False) -> AsyncIterator[None]:
        taken = await self.acquire(urgent=urgent)
        try:
            yield
        finally:
            if taken:
                self.release()
