"""Staying under Discord's global rate limit: 50 requests a second for a bot.

discord.py waits before a route's bucket runs dry (it reads the X-RateLimit-*
headers), but it learns of the global limit only from a 429. Requests already
on their way then collect 429s of their own, each one counted against the
invalid-request limit (10,000 in 10 minutes gets the bot's address banned for
a while), and a request refused five times fails. A reminder that fans out to
hundreds of direct messages (a DM channel opened, then a post, per person) ran
into it every second. So each request the poster makes first takes a place in a
Pace, in the order they asked.

https://docs.discord.com/developers/topics/rate-limits#global-rate-limit
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

# Discord: "All bots can make up to 50 requests per second to our API."
GLOBAL_LIMIT = 50
GLOBAL_PER = 1.0


class Pace:
    """At most `limit` requests counted at once; callers wait their turn, first come first served.

    A request counts from when it is let through until `per` seconds after its answer:
    whenever Discord received it in between (discord.py may hold it back in a route's
    bucket, the network may delay it), any second at Discord then holds at most
    `limit` of them. Use as `async with pace(): await channel.send(...)`.
    """

    def __init__(
        self,
        limit: int = GLOBAL_LIMIT,
        per: float = GLOBAL_PER,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.per = per
        self._clock = clock
        self._sleep = sleep
        self._in_flight = 0
        self._answered: deque[float] = deque()  # when each answer came, for `per` seconds
        self._turns = asyncio.Lock()  # first come, first served
        self._released = asyncio.Event()
        self.waits = 0  # how many requests had to wait: for tests and the benchmark

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._in_flight -= 1
            self._answered.append(self._clock())
            self._released.set()

    async def _acquire(self) -> None:
        async with self._turns:
            waited = False
            while True:
                now = self._clock()
                while self._answered and self._answered[0] <= now - self.per:
                    self._answered.popleft()
                if self._in_flight + len(self._answered) < self.limit:
                    self._in_flight += 1
                    return
                if not waited:
                    self.waits += 1
                    waited = True
                if self._answered:
                    await self._sleep(self._answered[0] + self.per - now)
                else:  # all in flight: the first answer starts the wait
                    self._released.clear()
                    await self._released.wait()
