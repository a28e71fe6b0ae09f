"""What the evaluations repository reads: rows into the model, who an occurrence's
evaluation goes to, a member's export.

(The funders' report reads evaluations' answers itself: storage/reports.py.)
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import CompoundSelect, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.evaluations.model import Evaluation, Opened, Question
from bot.evaluations.ports import MyEvaluation
from storage.schema import (
    AttendanceRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRespondentRow,
    EvaluationRow,
    EvaluationSendRow,
    MeetingRow,
    RsvpRow,
)

E, S = EvaluationRow, EvaluationSendRow
R, N = EvaluationRespondentRow, EvaluationNamedRow


def questions_of(text: str) -> tuple[Question, ...]:
    return tuple(Question(q, kind) for q, kind in json.loads(text))


def recipients_query(meeting_id: int, occurrence: str) -> CompoundSelect[int]:
    """Who an occurrence's evaluation goes to: those who said Going, and those who
    checked in (or were marked present) without answering."""
    going = select(RsvpRow.member_id).where(
        RsvpRow.meeting_id == meeting_id,
        RsvpRow.occurrence == occurrence,
        RsvpRow.answer == "going",
    )
    present = select(AttendanceRow.member_id).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.occurrence == occurrence
    )
    return going.union(present)


def evaluation_of(row: EvaluationRow, meeting: MeetingRow) -> Evaluation:
    return Evaluation(
        id=row.id,
        meeting_id=row.meeting_id,
        meeting_title=meeting.title,
        channel=meeting.channel,
        anonymous=row.anonymous,
        template=row.template,
        questions=questions_of(row.questions),
        created_at=row.created_at,
        removed=row.removed_at is not None,
    )


def opened_of(row: EvaluationOccurrenceRow) -> Opened:
    return Opened(
        row.evaluation_id,
        date.fromisoformat(row.occurrence),
        row.ends_at,
        row.closes_at,
        row.remind_at,
    )


async def evaluations_of(session: AsyncSession, member_id: int) -> list[MyEvaluation]:
    found: dict[tuple[int, str], MyEvaluation] = {}
    sends = await session.execute(
        select(E.meeting_id, S.occurrence)
        .join(E, E.id == S.evaluation_id)
        .where(S.member_id == member_id, S.sent_at.is_not(None))
    )
    for meeting_id, day in sends:
        found[(meeting_id, day)] = MyEvaluation(
            meeting_id, date.fromisoformat(day), True, False, None
        )
    answered = await session.execute(
        select(E.meeting_id, R.occurrence, N.answers)
        .join(E, E.id == R.evaluation_id)
        .outerjoin(
            N,
            and_(
                N.evaluation_id == R.evaluation_id,
                N.occurrence == R.occurrence,
                N.member_id == R.member_id,
            ),
        )
        .where(R.member_id == member_id)
    )
    for meeting_id, day, answers in answered:
        sent = (meeting_id, day) in found
        mine = tuple(json.loads(answers)) if answers is not None else None
        found[(meeting_id, day)] = MyEvaluation(
            meeting_id, date.fromisoformat(day), sent, True, mine
        )
    return [found[k] for k in sorted(found)]
