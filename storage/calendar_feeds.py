"""Members' personal calendar feeds (bot/meetings/ports.py): hashes of their tokens only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.members import MemberStatus
from storage.dialect import insert_on_conflict
from storage.schema import MemberRow
from storage.schema.calendar_feeds import CalendarFeedRow


class SqlCalendarFeeds:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def created(self, member_id: int) -> datetime | None:
        return await self.session.scalar(
            select(CalendarFeedRow.created_at).where(CalendarFeedRow.member_id == member_id)
        )

    async def add(self, token_hash: str, member_id: int, *, at: datetime) -> bool:
        # ON CONFLICT: two requests at once for one member make one feed, not an error.
        statement = (
            insert_on_conflict(self.session, CalendarFeedRow)
            .values(token_hash=token_hash, member_id=member_id, created_at=at)
            .on_conflict_do_nothing(index_elements=[CalendarFeedRow.member_id])
        )
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def member_of(self, token_hash: str) -> int | None:
        # Looked up by the hash, an index seek: no comparison of secrets that could
        # take longer the more of a guessed token is right.
        return await self.session.scalar(
            select(CalendarFeedRow.member_id).where(CalendarFeedRow.token_hash == token_hash)
        )

    async def feed_of(self, token_hash: str) -> tuple[int, int, MemberStatus] | None:
        # One statement with the member's status: a feed's 304 reads nothing else of them.
        found = await self.session.execute(
            select(CalendarFeedRow.member_id, CalendarFeedRow.answers, MemberRow.status)
            .join(MemberRow, MemberRow.id == CalendarFeedRow.member_id)
            .where(CalendarFeedRow.token_hash == token_hash)
        )
        row = found.one_or_none()
        return (row[0], row[1], MemberStatus(row[2])) if row is not None else None

    async def forget(self, member_id: int) -> bool:
        result = await self.session.execute(
            delete(CalendarFeedRow).where(CalendarFeedRow.member_id == member_id)
        )
        return int(getattr(result, "rowcount", 0) or 0) > 0
