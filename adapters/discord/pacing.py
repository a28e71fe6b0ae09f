"""Staying under Discord's global rate limit: 50 requests a second for a bot.

discord.py waits before a route's bucket runs dry (it reads the X-RateLimit-*
headers), but it learns of the global limit only from a 429. Requests already
on their way then collect 429s of their own, each one counted against the
invalid-request limit (10,000 in 10 minutes gets the bot's address banned for
a while), and a request refused five times fails. A reminder that fans out to
hundreds of direct messages (a DM channel opened, then a post, per person) ran
into it every second. So the poster asks a Pace before each request it makes:
at most `limit` in any `per` seconds, in the order they asked.

https://docs.discord.com/developers/topics/rate-limits#global-rate-limit
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

# Discord: "All bots can make up to 50 requests per second to our API."
GLOBAL_LIMIT = 50
GLOBAL_PER = 1.02


class Pace:
    """A sliding window of `limit` requests in `per` seconds; callers wait their turn."""

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
        self._sent: deque[float] = deque()
        self._turns = asyncio.Lock()  # first come, first served
        self.waits = 0  # how many requests had to wait: for tests and the benchmark

    async def __call__(self) -> None:
        async with self._turns:
            now = self._clock()
            self._forget_before(now - self.per)
            if len(self._sent) >= self.limit:
                self.waits += 1
            while len(self._sent) >= self.limit:
                await self._sleep(self._sent[0] + self.per - now)
                now = self._clock()
                self._forget_before(now - self.per)
            self._sent.append(now)

    def _forget_before(self, start: float) -> None:
        while self._sent and self._sent[0] <= start:
            self._sent.popleft()
