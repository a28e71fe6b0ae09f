"""The questions repository: the queue, upvotes once per member, posts.

An upvote first takes the question's row with a no-op conditional UPDATE (… WHERE
open): on PostgreSQL that row lock orders the upvotes of a question and its answer
or hiding; on SQLite the write lock does the same. The upvotes row's primary key
(question, member) counts a member once, whichever of their accounts clicked.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.posted import PostedMessage
from bot.questions.model import NewQuestion, Question, UpvoteOutcome
from bot.questions.ports import MyQuestion
from storage.dialect import insert_on_conflict
from storage.schema import MemberRow, QuestionPostRow, QuestionRow, QuestionUpvoteRow

_OPEN = (QuestionRow.answered_at.is_(None), QuestionRow.hidden_at.is_(None))


class SqlQuestions:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, new: NewQuestion, by_member_id: int, at: datetime) -> Question:
        row = QuestionRow(
            text=new.text,
            topics=",".join(new.topics),
            anonymous=new.anonymous,
            meeting_id=new.meeting_id,
            channel=new.channel,
            asked_by=by_member_id,
            asked_at=at,
            upvotes=0,
        )
        self.session.add(row)
        await self.session.flush()
        question = await self.get(row.id)
        assert question is not None
        return question

    async def _read(self, *where: object, order: tuple[object, ...] = ()) -> list[Question]:
        asker, answerer = aliased(MemberRow), aliased(MemberRow)
        rows = (
            await self.session.execute(
                select(QuestionRow, asker.display_name, answerer.display_name)
                .outerjoin(asker, asker.id == QuestionRow.asked_by)
                .outerjoin(answerer, answerer.id == QuestionRow.answered_by)
                .where(*where)  # type: ignore[arg-type]
                .order_by(*order)  # type: ignore[arg-type]
            )
        ).all()
        return [
            Question(
                id=row.id,
                text=row.text,
                topics=tuple(t for t in row.topics.split(",") if t),
                anonymous=row.anonymous,
                meeting_id=row.meeting_id,
                channel=row.channel,
                asked_by=row.asked_by,
                asked_by_name=asked,
                asked_at=row.asked_at,
                upvotes=row.upvotes,
                answer=row.answer,
                answered_by_name=answered,
                answered_at=row.answered_at,
                hidden=row.hidden_at is not None,
            )
            for row, asked, answered in rows
        ]

    async def get(self, question_id: int) -> Question | None:
        found = await self._read(QuestionRow.id == question_id)
        if not found:
            return None
        posts = (
            await self.session.scalars(
                select(QuestionPostRow).where(QuestionPostRow.question_id == question_id)
            )
        ).all()
        return replace(
            found[0],
            posts=tuple(PostedMessage(p.platform, p.channel, p.message_id) for p in posts),
        )

    async def add_post(self, question_id: int, posted: PostedMessage) -> None:
        await self.session.execute(
            insert_on_conflict(self.session, QuestionPostRow)
            .values(
                platform=posted.platform,
                channel=posted.channel,
                message_id=posted.message_id,
                question_id=question_id,
            )
            .on_conflict_do_nothing()
        )

    async def upvote(self, question_id: int, member_id: int) -> str:
        taken = await self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, *_OPEN)
            .values(upvotes=QuestionRow.upvotes)
            .returning(QuestionRow.id)
        )
        if taken.first() is None:
            return UpvoteOutcome.GONE
        added = await self.session.execute(
            insert_on_conflict(self.session, QuestionUpvoteRow)
            .values(question_id=question_id, member_id=member_id)
            .on_conflict_do_nothing()
        )
        if not added.rowcount:  # type: ignore[attr-defined]
            return UpvoteOutcome.ALREADY
        await self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id)
            .values(upvotes=QuestionRow.upvotes + 1)
        )
        return UpvoteOutcome.ADDED

    async def open_questions(self, meeting_id: int | None) -> list[Question]:
        where: list[ColumnElement[bool]] = [*_OPEN]
        if meeting_id is not None:
            where.append(QuestionRow.meeting_id == meeting_id)
        return await self._read(
            *where, order=(QuestionRow.upvotes.desc(), QuestionRow.asked_at, QuestionRow.id)
        )

    async def answer(self, question_id: int, text: str, by_member_id: int, at: datetime) -> bool:
        result = await self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, QuestionRow.answered_at.is_(None))
            .values(answer=text, answered_by=by_member_id, answered_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def hide(self, question_id: int, by_member_id: int, at: datetime) -> bool:
        result = await self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, QuestionRow.hidden_at.is_(None))
            .values(hidden_by=by_member_id, hidden_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def forget_member(self, member_id: int) -> None:
        # The counts (questions.upvotes) stay; only what ties the person to them goes.
        await self.session.execute(
            update(QuestionRow).where(QuestionRow.asked_by == member_id).values(asked_by=None)
        )
        await self.session.execute(
            delete(QuestionUpvoteRow).where(QuestionUpvoteRow.member_id == member_id)
        )

    async def asked_by(self, member_id: int) -> list[MyQuestion]:
        rows = await self.session.execute(
            select(
                QuestionRow.id,
                QuestionRow.text,
                QuestionRow.anonymous,
                QuestionRow.asked_at,
                QuestionRow.answer,
            )
            .where(QuestionRow.asked_by == member_id)
            .order_by(QuestionRow.id)
        )
        return [MyQuestion(*row) for row in rows]
