"""Attendance rows (storage/schema/attendance.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.model import Attended, Candidate, Present, Source
from storage.dialect import insert_on_conflict
from storage.schema import AttendanceRow, InvitationRow, MeetingRow, MemberRow

ACTIVE = "active"


class SqlAttendance:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mark(
        self,
        meeting_id: int,
        occurrence: date,
        member_ids: Sequence[int],
        source: Source,
        at: datetime,
    ) -> list[int]:
        added: list[int] = []
        for member_id in dict.fromkeys(member_ids):
            # ON CONFLICT DO NOTHING: a second click, from this platform or a linked
            # one, at the same moment or later, leaves the first row as it was.
            statement = (
                insert_on_conflict(self.session, AttendanceRow)
                .values(
                    meeting_id=meeting_id,
                    occurrence=occurrence.isoformat(),
                    member_id=member_id,
                    source=source.value,
                    recorded_at=at,
                )
                .on_conflict_do_nothing(index_elements=["meeting_id", "occurrence", "member_id"])
            )
            result = await self.session.execute(statement)
            if result.rowcount:  # type: ignore[attr-defined]
                added.append(member_id)
        return added

    async def unmark(self, meeting_id: int, occurrence: date, member_ids: Sequence[int]) -> int:
        if not member_ids:
            return 0
        result = await self.session.execute(
            delete(AttendanceRow).where(
                AttendanceRow.meeting_id == meeting_id,
                AttendanceRow.occurrence == occurrence.isoformat(),
                AttendanceRow.member_id.in_(list(member_ids)),
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def present(self, meeting_id: int, occurrence: date) -> list[Present]:
        rows = await self.session.execute(
            select(
                AttendanceRow.member_id,
                MemberRow.display_name,
                AttendanceRow.source,
                AttendanceRow.recorded_at,
            )
            .join(MemberRow, MemberRow.id == AttendanceRow.member_id)
            .where(
                AttendanceRow.meeting_id == meeting_id,
                AttendanceRow.occurrence == occurrence.isoformat(),
                MemberRow.status == ACTIVE,
            )
            .order_by(MemberRow.name_key, MemberRow.id)
        )
        return [Present(m, name, Source(source), at) for m, name, source, at in rows]

    async def candidates(self) -> list[Candidate]:
        rows = await self.session.execute(
            select(MemberRow.id, MemberRow.display_name, MemberRow.name_key, InvitationRow.email)
            .outerjoin(InvitationRow, InvitationRow.member_id == MemberRow.id)
            .where(MemberRow.status == ACTIVE)
            .order_by(MemberRow.id)
        )
        return [Candidate(m, name, key, (email or "").lower()) for m, name, key, email in rows]

    async def forget_member(self, member_id: int) -> None:
        await self.session.execute(
            delete(AttendanceRow).where(AttendanceRow.member_id == member_id)
        )

    async def history_of(self, member_id: int) -> list[Attended]:
        rows = await self.session.execute(
            select(
                AttendanceRow.meeting_id,
                MeetingRow.title,
                AttendanceRow.occurrence,
                AttendanceRow.source,
                AttendanceRow.recorded_at,
            )
            .join(MeetingRow, MeetingRow.id == AttendanceRow.meeting_id)
            .where(AttendanceRow.member_id == member_id)
            .order_by(AttendanceRow.occurrence, AttendanceRow.meeting_id)
        )
        return [
            Attended(m, title, date.fromisoformat(day), Source(source), at)
            for m, title, day, source, at in rows
        ]
