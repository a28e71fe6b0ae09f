"""Slack delivers again what it thinks was lost: the second delivery must change nothing.

Each delivery is claimed in the database by its id before it runs, so with
several replicas (several Socket Mode connections, or HTTP behind a load
balancer) only the first to see an id runs it. An event carries an event_id;
each command, click and form submission a trigger_id of its own.

Claims are by id, not by Slack's retry mark (X-Slack-Retry-Num, retry_attempt):
a retry of an event whose first delivery never reached the bot still runs.

Over HTTP Slack resends only events, so only event ids are claimed there; in
Socket Mode a reconnect may resend any envelope, so trigger ids are too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.clock import Clock
from storage.interactions import InteractionClaims

Next = Callable[[], Awaitable[BoltResponse]]
# True for the one caller that claims a delivery key, across every replica.
Claim = Callable[[str], Awaitable[bool]]

PLATFORM = "slack"
# Slack retries an event three times, the last about five minutes after the first;
# a Socket Mode reconnect resends within seconds. An hour covers both with room.
KEEP_CLAIMS = timedelta(hours=1)


def database_claim(claims: InteractionClaims, clock: Clock, keep: timedelta = KEEP_CLAIMS) -> Claim:
    """Claims in the interaction_claims table, seen by every replica on that database."""

    async def claim(key: str) -> bool:
        return await claims.first(PLATFORM, key, now=clock.now(), keep=keep)

    return claim


class Deliveries(AsyncMiddleware):
    """A Bolt global middleware (`app.use(deliveries)`): a delivery some instance
    already claimed is acknowledged and skipped."""

    def __init__(self, claim: Claim) -> None:
        self._claim = claim

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Next,  # Bolt passes it by this name
    ) -> BoltResponse | None:
        key = delivery_key(req.body, socket_mode=req.mode == "socket_mode")
        if key is not None and not await self._claim(key):
            return BoltResponse(status=200, body="")
        return await next()


def delivery_key(body: Mapping[str, Any], *, socket_mode: bool = True) -> str | None:
    """What identifies a delivery across its resends, where Slack may resend it."""
    if event_id := body.get("event_id"):
        return f"event:{event_id}"
    if socket_mode and (trigger_id := body.get("trigger_id")):
        return f"trigger:{trigger_id}"
    return None
