"""A member's own suggestions, for their data export.

Kept apart from resources.py (the library's repository): it reads only the
columns a member's export shows, and touches nothing the library's rules do.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.resources.model import OwnSuggestion, ResourceStatus
from storage.schema.resources import ResourceRow


class SqlSuggestionsByMember:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def suggested_by(self, member_id: int) -> list[OwnSuggestion]:
        query = (
            select(
                ResourceRow.id,
                ResourceRow.title,
                ResourceRow.url,
                ResourceRow.status,
                ResourceRow.suggested_at,
                ResourceRow.decided_at,
            )
            .where(ResourceRow.suggested_by == member_id)
            .order_by(ResourceRow.suggested_at, ResourceRow.id)
        )
        rows = await self.session.execute(query)
        return [
            OwnSuggestion(
                id=row.id,
                title=row.title,
                url=row.url,
                status=ResourceStatus(row.status),
                suggested_at=row.suggested_at,
                decided_at=row.decided_at,
            )
            for row in rows
        ]
