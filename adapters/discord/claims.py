"""One replica acts on each interaction and each counted message, though all receive it.

Every replica with DISCORD_TOKEN opens its own gateway session, and Discord sends
each interaction, and each message, to every session. Whichever replica first
records the delivery's id in the database (storage/interactions.py) acts on it; the
others do nothing, so a command runs once and nobody gets "already acknowledged".
Claims are kept for as long as Discord could still act on the id (an interaction's
token lives 15 minutes), then purged with every platform's (adapters/bootstrap.py).

On SQLite the bot is one instance (as storage/leader.py has it), so nothing is
claimed: SQLite takes one writer at a time, and a claim written per interaction
would queue twenty commands at once behind each other's writes.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from adapters.discord.identity import PLATFORM
from bot.clock import Clock
from storage import Storage
from storage.interactions import InteractionClaims

log = logging.getLogger(__name__)

KEEP = timedelta(minutes=15)  # an interaction's token, the longest Discord acts on an id


class Claiming(Protocol):
    async def interaction(self, interaction_id: int) -> bool: ...

    async def message(self, message_id: int) -> bool: ...


def claims_for(storage: Storage, clock: Clock) -> Claiming:
    """Claims in the database that replicas share; on SQLite, this one instance has them all."""
    if storage.backend == "sqlite":
        return SoleInstance()
    return Claims(storage.interactions, clock)


class SoleInstance:
    """The only instance: every delivery is its own."""

    async def interaction(self, interaction_id: int) -> bool:
        return True

    async def message(self, message_id: int) -> bool:
        return True


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

    async def _first(self, key: str) -> bool:
        try:
            return await self._claims.first(PLATFORM, key, now=self._clock.now(), keep=KEEP)
        except (SQLAlchemyError, OSError):
            # Without the database the core cannot answer either; answering here gives the
            # person its error message, where refusing would leave "did not respond".
            log.warning("could not claim Discord delivery %s; handling it here", key)
            return True
