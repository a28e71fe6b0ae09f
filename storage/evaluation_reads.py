"""What the evaluations repository reads for others: a member's export, the funders' report.

The report gives, per opened occurrence, how many were sent the evaluation, how many
answered, the 1-5 answers and the free texts, with a name only for named answers:
the anonymous ones come from the occurrence's shuffled list, which has none.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.evaluations.model import OccurrenceAnswers, Question
from bot.evaluations.ports import MyEvaluation
from storage.schema import (
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRespondentRow,
    EvaluationRow,
    EvaluationSendRow,
    MemberRow,
)

E, Occ, S = EvaluationRow, EvaluationOccurrenceRow, EvaluationSendRow
R, A, N = EvaluationRespondentRow, EvaluationAnonymousRow, EvaluationNamedRow


def questions_of(text: str) -> tuple[Question, ...]:
    return tuple(Question(q, kind) for q, kind in json.loads(text))


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


async def report(
    session: AsyncSession, since: datetime | None = None, until: datetime | None = None
) -> list[OccurrenceAnswers]:
    query = select(Occ, E).join(E, E.id == Occ.evaluation_id).order_by(Occ.ends_at, E.id)
    if since is not None:
        query = query.where(Occ.ends_at >= since)
    if until is not None:
        query = query.where(Occ.ends_at < until)
    result: list[OccurrenceAnswers] = []
    for occ, evaluation in (await session.execute(query)).all():
        result.append(await _answers_of(session, occ, evaluation))
    return result


async def _answers_of(
    session: AsyncSession, occ: EvaluationOccurrenceRow, evaluation: EvaluationRow
) -> OccurrenceAnswers:
    questions = questions_of(evaluation.questions)
    answered: list[tuple[list[str], str | None]] = []
    anonymous = await session.get(A, (occ.evaluation_id, occ.occurrence))
    if anonymous is not None:
        answered += [(a, None) for a in json.loads(anonymous.answers)]
    named = await session.execute(
        select(N.answers, MemberRow.display_name)
        .join(MemberRow, MemberRow.id == N.member_id)
        .where(N.evaluation_id == occ.evaluation_id, N.occurrence == occ.occurrence)
        .order_by(MemberRow.display_name)
    )
    answered += [(json.loads(a), name) for a, name in named]
    sent = await session.scalars(
        select(S.member_id).where(
            S.evaluation_id == occ.evaluation_id,
            S.occurrence == occ.occurrence,
            S.sent_at.is_not(None),
        )
    )
    usefulness: list[int] = []
    texts: list[tuple[str, str, str | None]] = []
    for answers, name in answered:
        for question, value in zip(questions, answers, strict=False):
            if question.kind == "scale" and value.isdigit():
                usefulness.append(int(value))
            elif question.kind == "text" and value:
                texts.append((question.text, value, name))
    return OccurrenceAnswers(
        evaluation_id=occ.evaluation_id,
        meeting_id=evaluation.meeting_id,
        occurrence=date.fromisoformat(occ.occurrence),
        anonymous=evaluation.anonymous,
        sent=len(list(sent)),
        responses=len(answered),
        usefulness=tuple(usefulness),
        texts=tuple(texts),
    )
