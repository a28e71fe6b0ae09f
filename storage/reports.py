"""The funders' report's figures, aggregated by the database (GROUP BY, COUNT DISTINCT).

One statement per kind of figure for the whole period, never one per occurrence,
so a report over a hundred sessions is a handful of queries on both databases.
Only the evaluation answers come back as rows: anonymous answers are stored as one
JSON list per occurrence (storage/schema/evaluations.py), which SQL cannot average
the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    distinct,
    exists,
    func,
    literal,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from bot.reports.model import Basis
from bot.reports.ports import EvaluationAnswers, PeopleCounts, Scope, SessionCounts
from storage.schema import (
    AttendanceRow,
    DepartureRow,
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRow,
    EvaluationSendRow,
    MeetingRow,
    MemberRow,
    OccurrenceChangeRow,
    RsvpRow,
)

# A mapped column or a subquery's column.
Column = ColumnElement[Any] | QueryableAttribute[Any]
E, Occ, S = EvaluationRow, EvaluationOccurrenceRow, EvaluationSendRow
A, N, D = EvaluationAnonymousRow, EvaluationNamedRow, DepartureRow


def _within(meeting: Column, occurrence: Column, scope: Scope) -> list[ColumnElement[bool]]:
    # Occurrence keys are ISO dates (YYYY-MM-DD), so text order is date order.
    found = [occurrence >= scope.since.isoformat(), occurrence <= scope.until.isoformat()]
    # A cancelled occurrence did not take place: answers given before it was cancelled
    # are no session's (nobody can check in or be marked at one).
    cancelled = exists().where(
        OccurrenceChangeRow.meeting_id == meeting,
        OccurrenceChangeRow.occurrence == occurrence,
        OccurrenceChangeRow.cancelled.is_(True),
    )
    found.append(~cancelled)
    if scope.meeting_id is not None:
        found.append(meeting == scope.meeting_id)
    if scope.left_out:
        left_out = [(m, day.isoformat()) for m, day in scope.left_out]
        found.append(tuple_(meeting, occurrence).not_in(left_out))
    return found


def _people(scope: Scope, basis: Basis) -> Select[int, str, int]:
    """(meeting, occurrence, member) of the basis: attendance, or those who said Going."""
    if basis is Basis.ATTENDED:
        return select(
            AttendanceRow.meeting_id, AttendanceRow.occurrence, AttendanceRow.member_id
        ).where(*_within(AttendanceRow.meeting_id, AttendanceRow.occurrence, scope))
    return select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.member_id).where(
        *_within(RsvpRow.meeting_id, RsvpRow.occurrence, scope), RsvpRow.answer == "going"
    )


def _departed(scope: Scope, basis: Basis) -> Select[int]:
    """The departed of the basis: a `person` per row (storage/schema/reports.py)."""
    chosen = D.attended.is_(True) if basis is Basis.ATTENDED else D.answer == "going"
    return select(D.person).where(*_within(D.meeting_id, D.occurrence, scope), chosen)


def _count_of(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def _nonempty(column: Column) -> ColumnElement[Any]:
    """An empty organization (a member who left, or never said) is no organization."""
    return func.nullif(func.trim(column), literal(""))


class SqlReports:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_attendance(self, scope: Scope) -> bool:
        found = await self.session.scalar(
            select(AttendanceRow.member_id)
            .where(*_within(AttendanceRow.meeting_id, AttendanceRow.occurrence, scope))
            .limit(1)
        )
        if found is not None:
            return True
        departed = await self.session.scalar(
            select(D.person)
            .where(*_within(D.meeting_id, D.occurrence, scope), D.attended.is_(True))
            .limit(1)
        )
        return departed is not None

    async def sessions(self, scope: Scope, basis: Basis) -> list[SessionCounts]:
        counts: dict[tuple[int, str], list[int]] = {}

        def line(meeting_id: int, occurrence: str) -> list[int]:
            return counts.setdefault((meeting_id, occurrence), [0] * 6)

        answers = await self.session.execute(
            select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer, func.count())
            .where(*_within(RsvpRow.meeting_id, RsvpRow.occurrence, scope))
            .group_by(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer)
        )
        column = {"going": 0, "maybe": 1, "not_going": 2}
        for meeting_id, occurrence, answer, count in answers:
            if answer in column:
                line(meeting_id, occurrence)[column[answer]] = int(count)
        attended = await self.session.execute(
            select(AttendanceRow.meeting_id, AttendanceRow.occurrence, func.count())
            .where(*_within(AttendanceRow.meeting_id, AttendanceRow.occurrence, scope))
            .group_by(AttendanceRow.meeting_id, AttendanceRow.occurrence)
        )
        for meeting_id, occurrence, count in attended:
            line(meeting_id, occurrence)[3] = int(count)
        departed = await self.session.execute(
            select(
                D.meeting_id,
                D.occurrence,
                _count_of(D.answer == "going"),
                _count_of(D.answer == "maybe"),
                _count_of(D.answer == "not_going"),
                _count_of(D.attended.is_(True)),
            )
            .where(*_within(D.meeting_id, D.occurrence, scope))
            .group_by(D.meeting_id, D.occurrence)
        )
        for meeting_id, occurrence, *figures in departed:
            counted = line(meeting_id, occurrence)
            for i, n in enumerate(figures):
                counted[i] += int(n or 0)
        people = _people(scope, basis).subquery()
        places = await self.session.execute(
            select(
                people.c.meeting_id,
                people.c.occurrence,
                func.count(distinct(_nonempty(MemberRow.organization_key))),
                func.count(distinct(_nonempty(MemberRow.jurisdiction))),
            )
            .join(MemberRow, MemberRow.id == people.c.member_id)
            .group_by(people.c.meeting_id, people.c.occurrence)
        )
        for meeting_id, occurrence, organizations, jurisdictions in places:
            line(meeting_id, occurrence)[4:6] = [int(organizations), int(jurisdictions)]
        opened = await self.session.execute(
            select(E.meeting_id, Occ.occurrence)
            .join(E, E.id == Occ.evaluation_id)
            .where(*_within(E.meeting_id, Occ.occurrence, scope))
        )
        for meeting_id, occurrence in opened:
            line(meeting_id, occurrence)
        return [
            SessionCounts(m, date.fromisoformat(o), *figures)
            for (m, o), figures in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]

    async def people(self, scope: Scope, basis: Basis) -> PeopleCounts:
        people = _people(scope, basis).subquery()
        participants = await self.session.scalar(select(func.count(distinct(people.c.member_id))))
        # Each (meeting, occurrence, member) is one row by the tables' keys.
        twice = (
            select(people.c.member_id)
            .group_by(people.c.member_id)
            .having(func.count() >= 2)
            .subquery()
        )
        returning = await self.session.scalar(select(func.count()).select_from(twice))
        # Those who left: each departure one person, under its random number.
        departed = _departed(scope, basis).subquery()
        participants = (participants or 0) + (
            await self.session.scalar(select(func.count(distinct(departed.c.person)))) or 0
        )
        departed_twice = (
            select(departed.c.person)
            .group_by(departed.c.person)
            .having(func.count() >= 2)
            .subquery()
        )
        returning = (returning or 0) + (
            await self.session.scalar(select(func.count()).select_from(departed_twice)) or 0
        )
        who = (
            select(
                people.c.member_id,
                MemberRow.organization,
                MemberRow.organization_key,
                MemberRow.jurisdiction,
                MemberRow.region,
            )
            .join(MemberRow, MemberRow.id == people.c.member_id)
            .distinct()
            .subquery()
        )
        organizations = await self.session.execute(
            select(func.min(who.c.organization), func.count(distinct(who.c.member_id)))
            .where(_nonempty(who.c.organization_key).is_not(None))
            .group_by(who.c.organization_key)
            .order_by(func.count(distinct(who.c.member_id)).desc(), who.c.organization_key)
        )
        jurisdictions = await self.session.scalar(
            select(func.count(distinct(_nonempty(who.c.jurisdiction))))
        )
        regions = await self.session.scalars(
            select(who.c.region)
            .where(_nonempty(who.c.region).is_not(None))
            .distinct()
            .order_by(who.c.region)
        )
        return PeopleCounts(
            participants=int(participants or 0),
            returning=int(returning or 0),
            organizations=[(str(name).strip(), int(n)) for name, n in organizations],
            jurisdictions=int(jurisdictions or 0),
            regions=list(regions),
        )

    async def evaluations(self, scope: Scope) -> list[EvaluationAnswers]:
        within = _within(E.meeting_id, Occ.occurrence, scope)
        sent: dict[tuple[int, str], int] = {}
        for m, o, n in await self.session.execute(
            select(E.meeting_id, S.occurrence, func.count())
            .join(E, E.id == S.evaluation_id)
            .where(*_within(E.meeting_id, S.occurrence, scope), S.sent_at.is_not(None))
            .group_by(E.meeting_id, S.occurrence)
        ):
            sent[(m, o)] = int(n)
        for m, o, n in await self.session.execute(
            select(D.meeting_id, D.occurrence, func.count())
            .where(*_within(D.meeting_id, D.occurrence, scope), D.evaluation_sent.is_(True))
            .group_by(D.meeting_id, D.occurrence)
        ):
            sent[(m, o)] = sent.get((m, o), 0) + int(n)
        answers: dict[tuple[int, str], list[list[str]]] = {}
        anonymous = await self.session.execute(
            select(A.evaluation_id, A.occurrence, A.answers)
            .join(E, E.id == A.evaluation_id)
            .where(*_within(E.meeting_id, A.occurrence, scope))
        )
        for e, o, text in anonymous:
            answers.setdefault((e, o), []).extend(json.loads(text))
        # Named answers are read without their member: the report names nobody.
        named = await self.session.execute(
            select(N.evaluation_id, N.occurrence, N.answers)
            .join(E, E.id == N.evaluation_id)
            .where(*_within(E.meeting_id, N.occurrence, scope))
        )
        for e, o, text in named:
            answers.setdefault((e, o), []).append(json.loads(text))
        opened = await self.session.execute(
            select(E.id, E.meeting_id, E.questions, Occ.occurrence)
            .join(Occ, Occ.evaluation_id == E.id)
            .where(*within)
            .order_by(Occ.occurrence, E.meeting_id)
        )
        found: list[EvaluationAnswers] = []
        for evaluation_id, meeting_id, questions, occurrence in opened:
            asked = [(str(q), str(kind)) for q, kind in json.loads(questions)]
            found.append(
                EvaluationAnswers(
                    meeting_id=meeting_id,
                    occurrence=date.fromisoformat(occurrence),
                    sent=sent.get((meeting_id, occurrence), 0),
                    kinds=tuple(kind for _, kind in asked),
                    questions=tuple(q for q, _ in asked),
                    answers=answers.get((evaluation_id, occurrence), []),
                )
            )
        return found

    async def keep_departure(self, member_id: int) -> None:
        kept: dict[tuple[int, str], dict[str, Any]] = {}

        def row(meeting_id: int, occurrence: str) -> dict[str, Any]:
            return kept.setdefault(
                (meeting_id, occurrence),
                {"answer": None, "attended": False, "evaluation_sent": False},
            )

        answers = await self.session.execute(
            select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer).where(
                RsvpRow.member_id == member_id
            )
        )
        for meeting_id, occurrence, answer in answers:
            row(meeting_id, occurrence)["answer"] = answer
        attended = await self.session.execute(
            select(AttendanceRow.meeting_id, AttendanceRow.occurrence).where(
                AttendanceRow.member_id == member_id
            )
        )
        for meeting_id, occurrence in attended:
            row(meeting_id, occurrence)["attended"] = True
        sent = await self.session.execute(
            select(E.meeting_id, S.occurrence)
            .join(E, E.id == S.evaluation_id)
            .where(S.member_id == member_id, S.sent_at.is_not(None))
        )
        for meeting_id, occurrence in sent:
            row(meeting_id, occurrence)["evaluation_sent"] = True
        if not kept:
            return
        # Drawn fresh for each departure: it says "the same person" and nothing else.
        person = secrets.randbits(62)
        self.session.add_all(
            D(meeting_id=m, occurrence=o, person=person, **values)
            for (m, o), values in kept.items()
        )
        await self.session.flush()

    async def titles(self, meeting_ids: Sequence[int]) -> dict[int, str]:
        if not meeting_ids:
            return {}
        rows = await self.session.execute(
            select(MeetingRow.id, MeetingRow.title).where(
                MeetingRow.id.in_(sorted(set(meeting_ids)))
            )
        )
        return {meeting_id: title for meeting_id, title in rows}
