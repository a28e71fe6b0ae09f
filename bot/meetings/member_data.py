"""A member's meeting answers: forgotten when they leave, listed in their export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_answers(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.rsvps.forget_member(member_id, at=at)


async def export_answers(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    answers = await uow.rsvps.answers_of(member_id)
    return {
        "meeting_answers": [
            {"meeting": meeting, "occurrence": day.isoformat(), "answer": answer.value}
            for meeting, day, answer in answers
        ]
    }
