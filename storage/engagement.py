"""The engagement page's counts (bot/dashboard/ports.py EngagementFigures), each one
GROUP BY query: at 10,000 members the database adds them up, Python never reads the rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dashboard.ports import MemberField, ResourceMonth, SessionAnswers
from bot.meetings.model import Answer
from bot.members import MemberStatus
from bot.resources.model import ResourceStatus
from storage.dialect import dialect_of
from storage.schema.discussions import DiscussionRow
from storage.schema.meetings import MeetingRow, RsvpRow
from storage.schema.membership import MemberRow
from storage.schema.resources import ResourceRow

_FIELDS = {
    "region": MemberRow.region,
    "discipline": MemberRow.discipline,
    "organization": MemberRow.organization,
}
_JOINED = (MemberStatus.ACTIVE.value, MemberStatus.LEFT.value)
# Retired resources were approved first: they count in the month they were approved.
_APPROVED = (ResourceStatus.APPROVED.value, ResourceStatus.RETIRED.value)


class SqlEngagement:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _month(self, column: Any) -> ColumnElement[str]:
        # Instants are stored in UTC (storage/types.py): naive text on SQLite, timestamptz
        # on PostgreSQL, read in UTC whatever the connection's zone.
        if dialect_of(self.session) == "postgresql":
            return func.to_char(func.timezone("UTC", column), literal_column("'YYYY-MM'"))
        return func.strftime("%Y-%m", column)

    async def member_totals(self) -> tuple[int, int]:
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(case((MemberRow.listed, 1), else_=0)), 0),
                ).where(MemberRow.status == MemberStatus.ACTIVE.value)
            )
        ).one()
        return int(row[0]), int(row[1])

    async def members_by(
        self, field: MemberField, limit: int, *, listed_only: bool = False
    ) -> list[tuple[str, int]]:
        column = _FIELDS[field]
        counted = func.count().label("counted")
        query = select(column, counted).where(MemberRow.status == MemberStatus.ACTIVE.value)
        if listed_only:
            query = query.where(MemberRow.listed)
        query = query.group_by(column).order_by(counted.desc(), column).limit(limit)
        return [(str(label), int(n)) for label, n in await self.session.execute(query)]

    async def joins_per_month(self, since: datetime) -> list[tuple[str, int]]:
        month = self._month(MemberRow.joined_at).label("month")
        query = (
            select(month, func.count())
            .where(MemberRow.status.in_(_JOINED), MemberRow.joined_at >= since)
            .group_by(month)
            .order_by(month)
        )
        return [(str(m), int(n)) for m, n in await self.session.execute(query)]

    async def resources_per_month(self, since: datetime) -> list[ResourceMonth]:
        suggested_month = self._month(ResourceRow.suggested_at).label("month")
        suggested = (
            select(suggested_month, ResourceRow.type, func.count())
            .where(ResourceRow.suggested_at >= since)
            .group_by(suggested_month, ResourceRow.type)
        )
        approved_month = self._month(ResourceRow.decided_at).label("month")
        approved = (
            select(approved_month, ResourceRow.type, func.count())
            .where(ResourceRow.status.in_(_APPROVED), ResourceRow.decided_at >= since)
            .group_by(approved_month, ResourceRow.type)
        )
        counts: dict[tuple[str, str], list[int]] = {}
        for position, query in enumerate((suggested, approved)):
            for month, kind, n in await self.session.execute(query):
                counts.setdefault((str(month), str(kind)), [0, 0])[position] = int(n)
        return [
            ResourceMonth(month, kind, pair[0], pair[1])
            for (month, kind), pair in sorted(counts.items())
        ]

    async def answers_per_session(self, limit: int) -> list[SessionAnswers]:
        def answered(answer: Answer) -> ColumnElement[int]:
            return func.sum(case((RsvpRow.answer == answer.value, 1), else_=0))

        query = (
            select(
                RsvpRow.meeting_id,
                MeetingRow.title,
                RsvpRow.occurrence,
                answered(Answer.GOING),
                answered(Answer.MAYBE),
                answered(Answer.NOT_GOING),
            )
            .join(MeetingRow, MeetingRow.id == RsvpRow.meeting_id)
            .group_by(RsvpRow.meeting_id, MeetingRow.title, RsvpRow.occurrence)
            .order_by(RsvpRow.occurrence.desc(), RsvpRow.meeting_id.desc())
            .limit(limit)
        )
        return [
            SessionAnswers(
                int(meeting), str(title), date.fromisoformat(day), int(g), int(m), int(n)
            )
            for meeting, title, day, g, m, n in await self.session.execute(query)
        ]

    async def most_active_discussions(self, since: datetime, limit: int) -> list[tuple[str, int]]:
        query = (
            select(DiscussionRow.title, DiscussionRow.replies)
            .where(DiscussionRow.last_activity >= since, DiscussionRow.replies > 0)
            .order_by(DiscussionRow.replies.desc(), DiscussionRow.id)
            .limit(limit)
        )
        return [(str(title), int(n)) for title, n in await self.session.execute(query)]
