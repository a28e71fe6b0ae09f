"""Members' answers (RSVPs) to meeting occurrences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.identity import Identity
from bot.meetings.model import Answer
from bot.meetings.ports import Attendee
from storage.dialect import insert_on_conflict
from storage.meetings import chunks
from storage.members import last_used
from storage.schema import MeetingRow, MemberRow, RsvpRow
from storage.schema.calendar_feeds import CalendarFeedRow


class SqlRsvps:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answer(
        self, meeting_id: int, occurrence: date, member_id: int, answer: Answer, *, at: datetime
    ) -> Answer | None:
        key = (meeting_id, occurrence.isoformat(), member_id)
        row = await self.session.get(RsvpRow, key)
        previous = Answer(row.answer) if row else None
        values = {
            "meeting_id": meeting_id,
            "occurrence": occurrence.isoformat(),
            "member_id": member_id,
            "answer": answer.value,
            "answered_at": at,
        }
        # An upsert: two clicks at once (two platforms) still leave one answer.
        statement = insert_on_conflict(self.session, RsvpRow).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["meeting_id", "occurrence", "member_id"],
                set_={"answer": answer.value, "answered_at": at},
            )
        )
        # The member's personal feed, if any, shows answers: its ETag changes with them.
        await self.session.execute(
            update(CalendarFeedRow)
            .where(CalendarFeedRow.member_id == member_id)
            .values(answers=CalendarFeedRow.answers + 1)
            .execution_options(synchronize_session=False)
        )
        return previous

    async def forget_member(self, member_id: int, *, at: datetime) -> None:
        # The meetings' posted counts are refreshed without them.
        answered = select(RsvpRow.meeting_id).where(RsvpRow.member_id == member_id)
        await self.session.execute(
            update(MeetingRow).where(MeetingRow.id.in_(answered)).values(refresh_at=at)
        )
        await self.session.execute(delete(RsvpRow).where(RsvpRow.member_id == member_id))

    async def answers_of(self, member_id: int) -> list[tuple[int, date, Answer]]:
        found = await self.session.execute(
            select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer)
            .where(RsvpRow.member_id == member_id)
            .order_by(RsvpRow.occurrence, RsvpRow.meeting_id)
        )
        return [(m, date.fromisoformat(o), Answer(a)) for m, o, a in found]

    async def counts(self, meeting_id: int, occurrence: date) -> dict[Answer, int]:
        rows = await self.session.execute(
            select(RsvpRow.answer, func.count())
            .where(RsvpRow.meeting_id == meeting_id, RsvpRow.occurrence == occurrence.isoformat())
            .group_by(RsvpRow.answer)
        )
        counts = dict.fromkeys(Answer, 0)
        for answer, count in rows:
            counts[Answer(answer)] = count
        return counts

    async def counts_of(
        self, occurrences: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], dict[Answer, int]]:
        found = {(m, d): dict.fromkeys(Answer, 0) for m, d in occurrences}
        days = sorted({d.isoformat() for _, d in occurrences})
        for chunk in chunks(sorted({m for m, _ in occurrences})):
            # Meetings times dates asks a little more than the pairs; those not asked
            # are dropped below (a row-value IN would differ between the databases).
            rows = await self.session.execute(
                select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer, func.count())
                .where(RsvpRow.meeting_id.in_(chunk), RsvpRow.occurrence.in_(days))
                .group_by(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer)
            )
            for meeting_id, day, answer, count in rows:
                counts = found.get((meeting_id, date.fromisoformat(day)))
                if counts is not None:
                    counts[Answer(answer)] = count
        return found

    async def attendees(
        self, meeting_id: int, occurrence: date, answers: Sequence[Answer] = ()
    ) -> list[Attendee]:
        query = (
            select(RsvpRow.answer, MemberRow)
            .join(MemberRow, MemberRow.id == RsvpRow.member_id)
            .where(
                RsvpRow.meeting_id == meeting_id,
                RsvpRow.occurrence == occurrence.isoformat(),
                MemberRow.status == "active",
            )
            .order_by(MemberRow.name_key, MemberRow.id)
        )
        if answers:
            query = query.where(RsvpRow.answer.in_([a.value for a in answers]))
        result = await self.session.execute(query)
        return [_attendee(answer, member) for answer, member in result]

    async def going_to(
        self, occurrences: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], list[Attendee]]:
        wanted = {(m, d.isoformat()) for m, d in occurrences}
        found: dict[tuple[int, date], list[Attendee]] = {}
        meeting_ids = sorted({m for m, _ in occurrences})
        for chunk in chunks(meeting_ids):
            result = await self.session.execute(
                select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer, MemberRow)
                .join(MemberRow, MemberRow.id == RsvpRow.member_id)
                .where(
                    RsvpRow.meeting_id.in_(chunk),
                    RsvpRow.answer == Answer.GOING.value,
                    MemberRow.status == "active",
                )
                .order_by(MemberRow.id)
            )
            for meeting_id, day, answer, member in result:
                if (meeting_id, day) in wanted:
                    key = (meeting_id, date.fromisoformat(day))
                    found.setdefault(key, []).append(_attendee(answer, member))
        return found


def _attendee(answer: str, member: MemberRow) -> Attendee:
    return Attendee(
        member_id=member.id,
        name=member.display_name,
        answer=Answer(answer),
        identities=tuple(Identity(i.platform, i.workspace, i.user_id) for i in member.identities),
        language=member.language,
        dm_reminders=member.dm_reminders,
        timezone=member.timezone,
        dm_platform=member.dm_platform,
        last_used=last_used(member.identities),
    )
