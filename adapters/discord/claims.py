"""One replica acts on each interaction and each counted message, though all receive it.

Every replica with DISCORD_TOKEN opens its own gateway session, and Discord sends
each interaction, and each message, to every session. Whichever replica first
records the delivery's id in the database (storage/interactions.py) acts on it; the
others do nothing, so a command runs once and nobody gets "already acknowledged".
Claims are kept for as long as Discord could still act on the id (an interaction's
token lives 15 minutes), then purged by a periodic job.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from adapters.discord.identity import PLATFORM
from bot.clock import Clock
from storage.interactions import InteractionClaims

log = logging.getLogger(__name__)

KEEP = timedelta(minutes=15)  # an interaction's token, the longest Discord acts on an id
PURGE_SECONDS = 5 * 60


class Claims:
    """Claims on what Discord delivers, in the database every replica shares."""

    def __init__(self, claims: InteractionClaims, clock: Clock) -> None:
        self._claims = claims
        self._clock = clock

    async def interaction(self, interaction_id: int) -> bool:
        """Whether this replica answers the interaction (it claimed it first)."""
        return await self._first(str(interaction_id))

    async def message(self, message_id: int) -> bool:
        """Whether this replica counts the message (it claimed it first)."""
        return await self._first(f"message:{message_id}")

    async def forget_expired(self) -> None:
        await self._claims.forget_expired(self._clock.now())

    async def _first(self, key: str) -> bool:
        try:
            return await self._claims.first(PLATFORM, key, now=self._clock.now(), keep=KEEP)
        except (SQLAlchemyError, OSError):
            # Without the database the core cannot answer either; answering here gives the
            # person its error message, where refusing would leave "did not respond".
            log.warning("could not claim Discord delivery %s; handling it here", key)
            return True
