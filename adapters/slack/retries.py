"""Slack delivers again what it thinks was lost: the second delivery must change nothing.

Each delivery the bot acts on is claimed in the database by its id before it runs,
so with several replicas (several Socket Mode connections, or HTTP behind a load
balancer) only the first to see an id runs it. Each command, click and form
submission carries a trigger_id of its own, claimed by the `Deliveries` middleware.
Events are claimed by their event_id only where one is about to be acted on: the
only events the bot acts on are replies in threads (handlers.py claims one after
its filter, with `event_key`), so an ordinary channel message, which the bot
ignores, costs no database write.

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
    """A Bolt global middleware (`app.use(deliveries)`): a command, click or form
    submission some instance already claimed is acknowledged and skipped. Events pass
    through unclaimed: the listener that acts on one claims it (`event_key`)."""

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
    """What identifies an interaction (command, click, form) across its resends, where
    Slack may resend it; None for events, claimed by their listener (`event_key`)."""
    if body.get("event_id"):
        return None
    if socket_mode and (trigger_id := body.get("trigger_id")):
        return f"trigger:{trigger_id}"
    return None


def event_key(body: Mapping[str, Any]) -> str | None:
    """What identifies an event across Slack's retries and resends (its event_id)."""
    event_id = body.get("event_id")
    return f"event:{event_id}" if event_id else None
