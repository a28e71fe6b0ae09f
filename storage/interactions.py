"""Claims on what a platform delivers, so that one instance handles it, once.

Discord sends each interaction to every gateway session of the bot, and Slack
resends an event it believes was lost, possibly to another Socket Mode
connection. Whichever instance first inserts the delivery's id runs it; the
others see the row and skip it. Rows are kept only as long as a platform could
still deliver the same id again.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.dialect import insert_on_conflict
from storage.schema.interactions import InteractionClaimRow
from storage.write_turn import WriteTurn


class InteractionClaims:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], turn: WriteTurn | None = None
    ) -> None:
        self._sessions = sessions
        self._turn = turn  # SQLite: in turn with the units of work (storage/write_turn.py)

    def _held(self) -> AbstractAsyncContextManager[None]:
        # A claim is made before the platform is acknowledged: it goes first.
        return self._turn.held(urgent=True) if self._turn is not None else nullcontext()

    async def first(self, platform: str, key: str, *, now: datetime, keep: timedelta) -> bool:
        """True for the one caller that claims (platform, key); False for every later one.

        Committed at once, in a transaction of its own: a claim must be visible to
        the other instances before the work it guards starts.
        """
        async with self._held(), self._sessions() as session, session.begin():
            # An expired claim no longer counts: the id may be claimed afresh.
            await session.execute(
                delete(InteractionClaimRow).where(
                    InteractionClaimRow.platform == platform,
                    InteractionClaimRow.key == key,
                    InteractionClaimRow.expires_at <= now,
                )
            )
            inserted = await session.execute(
                insert_on_conflict(session, InteractionClaimRow)
                .values(platform=platform, key=key, claimed_at=now, expires_at=now + keep)
                .on_conflict_do_nothing(index_elements=["platform", "key"])
            )
        return bool(getattr(inserted, "rowcount", 0) == 1)

    async def forget_expired(self, now: datetime) -> int:
        """Delete claims past their expiry; how many went."""
        async with self._held(), self._sessions() as session, session.begin():
            result = await session.execute(
                delete(InteractionClaimRow).where(InteractionClaimRow.expires_at <= now)
            )
        return int(getattr(result, "rowcount", 0) or 0)
