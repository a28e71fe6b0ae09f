"""A member's questions: anonymised when they leave, listed in their export.

Their questions stay in the queue without the link to them; their upvotes' rows
go, and the counts stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_asker(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.questions.forget_member(member_id)


async def export_questions(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    asked = await uow.questions.asked_by(member_id)
    return {
        "questions": [
            {
                "question": q.question_id,
                "text": q.text,
                "anonymous": q.anonymous,
                "asked_at": q.asked_at.isoformat(),
                "answer": q.answer,
            }
            for q in asked
        ]
    }
