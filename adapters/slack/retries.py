"""Slack delivers again what it thinks was lost: the second delivery must change nothing.

Slack marks its retries (X-Slack-Retry-Num over HTTP, retry_attempt in a Socket
Mode envelope, which Bolt turns into the same header); those are acknowledged
and skipped. A delivery seen twice without the mark (a reconnect resending an
envelope) is caught by remembering recent event and trigger ids: each command,
click and form submission carries a trigger_id of its own. Over HTTP nothing is
resent unmarked (Slack retries only events, and marks them), so ids are
remembered only in Socket Mode.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

Next = Callable[[], Awaitable[BoltResponse]]


class Deliveries(AsyncMiddleware):
    """Recently handled delivery ids, for `ttl` seconds, at most `size` of them.

    A Bolt global middleware (`app.use(deliveries)`) that acknowledges and skips
    anything already handled. A class, not a function: Bolt calls a function
    middleware through its argument injection, which costs more than the check.
    """

    def __init__(self, *, ttl: float = 600.0, size: int = 50_000) -> None:
        self._ttl = ttl
        self._size = size
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and next(iter(self._seen.values())) < now:
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now + self._ttl
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Next,  # Bolt passes it by this name
    ) -> BoltResponse | None:
        if _retry_number(req.headers) > 0:
            return BoltResponse(status=200, body="")
        if req.mode == "socket_mode":
            key = delivery_key(req.body)
            if key is not None and not self.first_time(key):
                return BoltResponse(status=200, body="")
        return await next()


def delivery_key(body: Mapping[str, Any]) -> str | None:
    if event_id := body.get("event_id"):
        return f"event:{event_id}"
    if trigger_id := body.get("trigger_id"):
        return f"trigger:{trigger_id}"
    return None


def _retry_number(headers: Mapping[str, Sequence[str] | str]) -> int:
    value = headers.get("x-slack-retry-num")
    first = value if isinstance(value, str) else (value[0] if value else "0")
    return int(first) if first.isdigit() else 0
