"""Tests read evaluation answers back per opened occurrence, names included.

How many were sent the evaluation, how many answered, the 1-5 answers and the free texts,
with a name only for named answers: the anonymous ones come from the occurrence's shuffled
list, which has none. The funders' report (storage/reports.py) reads no names, so tests
that check a named answer is kept read it here, from the tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.evaluation_reads import questions_of
from storage.schema import (
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRow,
    EvaluationSendRow,
    MemberRow,
)

E, Occ, S = EvaluationRow, EvaluationOccurrenceRow, EvaluationSendRow
A, N = EvaluationAnonymousRow, EvaluationNamedRow


@dataclass(frozen=True, slots=True)
class OccurrenceAnswers:
    """One occurrence's answers: no names for anonymous ones."""

    evaluation_id: int
    meeting_id: int
    occurrence: date
    anonymous: bool
    sent: int  # members the evaluation was sent to by DM
    responses: int
    usefulness: tuple[int, ...]  # the 1-5 answers, in no particular order
    # (question, answer, name or None): free-text answers; the name only if named.
    texts: tuple[tuple[str, str, str | None], ...]


async def answers_read_back(
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
