"""The two shapes of rate limit the fakes enforce, on a clock a test can drive.

Slack describes its limits as a rate with bursts allowed (one post a second in a
channel, "short bursts >1 allowed"; Tier 3 methods "50+ per minute, sporadic bursts
welcome"): a token bucket. Discord counts requests in a window (50 a second
globally; a route's bucket "limit" requests until "reset"): a sliding window, which
never lets more than `limit` through in any `per` seconds.

Both answer `take()` with None when the request may go, or the seconds until it
could have: what the platform puts in Retry-After.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]


class TokenBucket:
    """`per_second` tokens a second, at most `burst` saved up; a request takes one."""

    def __init__(self, per_second: float, burst: int = 1, clock: Clock = time.monotonic) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a bucket needs a positive rate and room for one request")
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def take(self) -> float | None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_second)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        return (1 - self._tokens) / self.per_second


class SlidingWindow:
    """At most `limit` requests in any `per` seconds."""

    def __init__(self, limit: int, per: float, clock: Clock = time.monotonic) -> None:
        if limit < 1 or per <= 0:
            raise ValueError("a window needs room for one request and a positive length")
        self.limit = limit
        self.per = per
        self._clock = clock
        self.sent: deque[float] = deque()

    def take(self) -> float | None:
        now = self._prune()
        if len(self.sent) >= self.limit:
            return self.sent[0] + self.per - now
        self.sent.append(now)
        return None

    @property
    def remaining(self) -> int:
        self._prune()
        return self.limit - len(self.sent)

    def reset_after(self) -> float:
        """Seconds until the oldest request counted leaves the window."""
        return self.sent[0] + self.per - self._clock() if self.sent else 0.0

    def _prune(self) -> float:
        now = self._clock()
        while self.sent and self.sent[0] <= now - self.per:
            self.sent.popleft()
        return now
