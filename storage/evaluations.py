"""The evaluations repository: evaluations, opened occurrences, claimed sends, answers.

Sends are claimed as reminders are: a row per (evaluation, occurrence, member)
inserted with ON CONFLICT DO NOTHING is a claim committed before the DM; a claim
left unsent by an instance that died is taken again by a conditional UPDATE once
older than the hold. The reminder and the public post are each taken by a
conditional UPDATE too, so of several sweeps and instances, one sends.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    delete,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.evaluations.model import (
    AnswerOutcome,
    Evaluation,
    Opened,
    Question,
)
from bot.evaluations.ports import MyEvaluation
from storage.dialect import insert_on_conflict
from storage.evaluation_reads import evaluation_of, evaluations_of, opened_of, recipients_query
from storage.meetings import OnCommit, schedule_changed
from storage.schema import (
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRespondentRow,
    EvaluationRow,
    EvaluationSendRow,
    MeetingRow,
)

E, Occ, S = EvaluationRow, EvaluationOccurrenceRow, EvaluationSendRow
R, A, N = EvaluationRespondentRow, EvaluationAnonymousRow, EvaluationNamedRow


def _shuffled_in(answers: list[list[str]], new: list[str]) -> list[list[str]]:
    """The new answers at a random place: the list keeps no order of arrival."""
    answers.insert(secrets.randbelow(len(answers) + 1), new)
    return answers


class SqlEvaluations:
    def __init__(self, session: AsyncSession, on_commit: OnCommit | None = None) -> None:
        self.session = session
        self._on_commit = on_commit

    async def _timing_changed(self) -> None:
        """The scheduler plans again (a job at each session's end), here and elsewhere."""
        await schedule_changed(self.session, self._on_commit)

    def _with_meeting(self) -> Select[EvaluationRow, MeetingRow]:
        return select(E, MeetingRow).join(MeetingRow, MeetingRow.id == E.meeting_id)

    async def add(
        self,
        meeting_id: int,
        *,
        anonymous: bool,
        template: str,
        questions: Sequence[Question],
        by_member_id: int,
        at: datetime,
    ) -> Evaluation | None:
        text = json.dumps([[q.text, q.kind] for q in questions])
        row = await self.session.scalar(select(E).where(E.meeting_id == meeting_id))
        if row is not None and row.removed_at is None:
            return None
        if row is None:
            row = E(meeting_id=meeting_id, created_at=at)
            self.session.add(row)
        row.anonymous, row.template, row.questions = anonymous, template, text
        row.created_by, row.removed_at = by_member_id, None
        await self.session.flush()
        await self._timing_changed()
        return await self.get(row.id)

    async def remove(self, meeting_id: int, at: datetime) -> bool:
        done = await self.session.execute(
            update(E)
            .where(E.meeting_id == meeting_id, E.removed_at.is_(None))
            .values(removed_at=at)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def get(self, evaluation_id: int) -> Evaluation | None:
        found = (
            await self.session.execute(self._with_meeting().where(E.id == evaluation_id))
        ).first()
        return evaluation_of(found[0], found[1]) if found else None

    async def of_meeting(self, meeting_id: int) -> Evaluation | None:
        found = (
            await self.session.execute(self._with_meeting().where(E.meeting_id == meeting_id))
        ).first()
        return evaluation_of(found[0], found[1]) if found else None

    async def active(self) -> list[Evaluation]:
        rows = await self.session.execute(
            self._with_meeting().where(E.removed_at.is_(None)).order_by(E.id)
        )
        return [evaluation_of(e, m) for e, m in rows]

    async def open(self, opened: Opened) -> bool:
        done = await self.session.execute(
            insert_on_conflict(self.session, Occ)
            .values(
                evaluation_id=opened.evaluation_id,
                occurrence=opened.occurrence.isoformat(),
                ends_at=opened.ends_at,
                closes_at=opened.closes_at,
                remind_at=opened.remind_at,
            )
            .on_conflict_do_nothing()
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def opened(self, evaluation_id: int, occurrence: date) -> Opened | None:
        row = await self.session.get(Occ, (evaluation_id, occurrence.isoformat()))
        return opened_of(row) if row else None

    async def taking_answers(self, now: datetime) -> list[Opened]:
        rows = await self.session.scalars(
            select(Occ)
            .join(E, E.id == Occ.evaluation_id)
            .where(Occ.closes_at > now, E.removed_at.is_(None))
            .order_by(Occ.ends_at)
        )
        return [opened_of(r) for r in rows]

    async def recipients(self, evaluation_id: int, occurrence: date) -> list[int]:
        meeting_id = await self.session.scalar(select(E.meeting_id).where(E.id == evaluation_id))
        if meeting_id is None:
            return []
        day = occurrence.isoformat()
        found: set[int] = set(await self.session.scalars(recipients_query(meeting_id, day)))
        done = await self.session.scalars(
            select(S.member_id).where(
                S.evaluation_id == evaluation_id, S.occurrence == day, S.sent_at.is_not(None)
            )
        )
        return sorted(found - set(done))

    async def claim_send(
        self,
        evaluation_id: int,
        occurrence: date,
        member_id: int,
        *,
        owner: str,
        now: datetime,
        hold: timedelta,
        tries: int = 5,
    ) -> str:
        key = {"evaluation_id": evaluation_id, "occurrence": occurrence.isoformat()}
        added = await self.session.execute(
            insert_on_conflict(self.session, S)
            .values(**key, member_id=member_id, claimed_by=owner, claimed_at=now)
            .on_conflict_do_nothing()
        )
        if added.rowcount:  # type: ignore[attr-defined]
            return "new"
        # Taken before: again only if that claim was never sent and is stale.
        retaken = await self.session.execute(
            update(S)
            .where(
                S.evaluation_id == evaluation_id,
                S.occurrence == key["occurrence"],
                S.member_id == member_id,
                S.sent_at.is_(None),
                S.claimed_at <= now - hold,
                S.tries < tries,
            )
            .values(claimed_by=owner, claimed_at=now, tries=S.tries + 1)
        )
        return "again" if retaken.rowcount else ""  # type: ignore[attr-defined]

    def _send(
        self, evaluation_id: int, occurrence: date, member_id: int
    ) -> list[ColumnElement[bool]]:
        return [
            S.evaluation_id == evaluation_id,
            S.occurrence == occurrence.isoformat(),
            S.member_id == member_id,
        ]

    async def sent(
        self, evaluation_id: int, occurrence: date, member_id: int, at: datetime
    ) -> None:
        await self.session.execute(
            update(S).where(*self._send(evaluation_id, occurrence, member_id)).values(sent_at=at)
        )

    async def claim_reminders(
        self, opened: Opened, *, owner: str, now: datetime, hold: timedelta
    ) -> list[int]:
        day = opened.occurrence.isoformat()
        answered = exists().where(
            R.evaluation_id == S.evaluation_id,
            R.occurrence == S.occurrence,
            R.member_id == S.member_id,
        )
        candidates = await self.session.scalars(
            select(S.member_id).where(
                S.evaluation_id == opened.evaluation_id,
                S.occurrence == day,
                S.sent_at.is_not(None),
                S.reminded_at.is_(None),
                or_(S.reminder_claimed_at.is_(None), S.reminder_claimed_at <= now - hold),
                ~answered,
            )
        )
        mine: list[int] = []
        for member_id in list(candidates):
            taken = await self.session.execute(
                update(S)
                .where(
                    *self._send(opened.evaluation_id, opened.occurrence, member_id),
                    S.reminded_at.is_(None),
                    or_(S.reminder_claimed_at.is_(None), S.reminder_claimed_at <= now - hold),
                )
                .values(reminder_claimed_at=now, claimed_by=owner)
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                mine.append(member_id)
        return mine

    async def reminded(
        self, evaluation_id: int, occurrence: date, member_id: int, at: datetime
    ) -> None:
        await self.session.execute(
            update(S)
            .where(*self._send(evaluation_id, occurrence, member_id))
            .values(reminded_at=at)
        )

    async def claim_post(
        self, evaluation_id: int, occurrence: date, *, now: datetime, hold: timedelta
    ) -> tuple[int, frozenset[str]] | None:
        where = (Occ.evaluation_id == evaluation_id, Occ.occurrence == occurrence.isoformat())
        taken = await self.session.execute(
            update(Occ)
            .where(
                *where,
                Occ.posted_at.is_(None),
                or_(Occ.post_claimed_at.is_(None), Occ.post_claimed_at <= now - hold),
            )
            .values(post_claimed_at=now)
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            return None
        row = (
            await self.session.execute(select(Occ.post_tries, Occ.posted_on).where(*where))
        ).one()
        return row.post_tries, frozenset(row.posted_on.split())

    async def post_tried(
        self,
        evaluation_id: int,
        occurrence: date,
        posted_on: frozenset[str],
        tries: int,
        done_at: datetime | None,
    ) -> None:
        await self.session.execute(
            update(Occ)
            .where(Occ.evaluation_id == evaluation_id, Occ.occurrence == occurrence.isoformat())
            .values(posted_on=" ".join(sorted(posted_on)), post_tries=tries, posted_at=done_at)
        )

    async def answered(self, evaluation_id: int, occurrence: date, member_id: int) -> bool:
        key = (evaluation_id, occurrence.isoformat(), member_id)
        return await self.session.get(R, key) is not None

    async def named_answers(
        self, evaluation_id: int, occurrence: date, member_id: int
    ) -> tuple[str, ...] | None:
        row = await self.session.get(N, (evaluation_id, occurrence.isoformat(), member_id))
        return tuple(json.loads(row.answers)) if row else None

    async def answer(
        self,
        evaluation_id: int,
        occurrence: date,
        member_id: int,
        answers: Sequence[str],
        now: datetime,
    ) -> str:
        day = occurrence.isoformat()
        # The occurrence's row, locked (PostgreSQL) while the window is open: answers to
        # one occurrence take turns, so the anonymous list is never written by two at once.
        locked = await self.session.execute(
            update(Occ)
            .where(Occ.evaluation_id == evaluation_id, Occ.occurrence == day, Occ.closes_at > now)
            .values(closes_at=Occ.closes_at)
        )
        evaluation = await self.session.get(E, evaluation_id)
        if not locked.rowcount or evaluation is None or evaluation.removed_at is not None:  # type: ignore[attr-defined]
            return AnswerOutcome.CLOSED
        text = json.dumps(list(answers))
        already = await self.answered(evaluation_id, occurrence, member_id)
        if not evaluation.anonymous:
            if already:
                await self.session.execute(
                    update(N)
                    .where(
                        N.evaluation_id == evaluation_id,
                        N.occurrence == day,
                        N.member_id == member_id,
                    )
                    .values(answers=text)
                )
                return AnswerOutcome.CHANGED
            self.session.add(R(evaluation_id=evaluation_id, occurrence=day, member_id=member_id))
            self.session.add(
                N(evaluation_id=evaluation_id, occurrence=day, member_id=member_id, answers=text)
            )
            await self.session.flush()
            return AnswerOutcome.SAVED
        if already:
            return AnswerOutcome.ALREADY
        await self._add_anonymous(evaluation_id, day, list(answers))
        self.session.add(R(evaluation_id=evaluation_id, occurrence=day, member_id=member_id))
        await self.session.flush()
        # Every respondent row of the occurrence is written by this transaction, so
        # PostgreSQL's xmin says only "the last answer was after all of these".
        await self.session.execute(
            update(R)
            .where(R.evaluation_id == evaluation_id, R.occurrence == day)
            .values(member_id=R.member_id)
        )
        return AnswerOutcome.SAVED

    async def _add_anonymous(self, evaluation_id: int, day: str, new: list[str]) -> None:
        row = await self.session.get(A, (evaluation_id, day))
        if row is None:
            self.session.add(
                A(evaluation_id=evaluation_id, occurrence=day, answers=json.dumps([new]))
            )
        else:
            row.answers = json.dumps(_shuffled_in(json.loads(row.answers), new))
        await self.session.flush()

    async def instants_between(self, after: datetime, until: datetime) -> list[datetime]:
        found = await self.session.scalars(
            select(Occ.remind_at)
            .join(E, E.id == Occ.evaluation_id)
            .where(Occ.remind_at > after, Occ.remind_at <= until, E.removed_at.is_(None))
        )
        return sorted(set(found))

    async def forget_member(self, member_id: int) -> None:
        # A named answer stays in the occurrence's answers, with no name: anonymised.
        named = (await self.session.scalars(select(N).where(N.member_id == member_id))).all()
        for row in named:
            await self._add_anonymous(row.evaluation_id, row.occurrence, json.loads(row.answers))
        await self.session.execute(delete(N).where(N.member_id == member_id))
        await self.session.execute(delete(R).where(R.member_id == member_id))
        await self.session.execute(delete(S).where(S.member_id == member_id))
        await self.session.execute(
            update(E).where(E.created_by == member_id).values(created_by=None)
        )

    async def of_member(self, member_id: int) -> list[MyEvaluation]:
        return await evaluations_of(self.session, member_id)
