"""Pauses that end when the test says so: time in steps, without sleeping."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import ManualClock


class Seconds:
    """A `pause(seconds)` for parts that wait (poll edits): each `tick()` is the time
    passing that every pause asked for at once, and moves the manual clock by a second."""

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.clock = clock
        self.asked: list[float] = []
        self._waiting: list[asyncio.Future[None]] = []
        self._new = asyncio.Event()

    async def pause(self, seconds: float) -> None:
        self.asked.append(seconds)
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._new.set()
        await waiter

    async def paused(self) -> None:
        """Until something waits for the next tick."""
        while not [w for w in self._waiting if not w.done()]:
            self._new.clear()
            await self._new.wait()

    def tick(self) -> int:
        """End every pause under way; how many there were."""
        if self.clock is not None:
            self.clock.advance(timedelta(seconds=1))
        waiting, self._waiting = self._waiting, []
        ended = 0
        for waiter in waiting:
            if not waiter.done():
                waiter.set_result(None)
                ended += 1
        return ended
