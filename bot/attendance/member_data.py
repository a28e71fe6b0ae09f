"""A member's attendance: deleted when they leave, listed in their export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_attendance(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.attendance.forget_member(member_id)


async def export_attendance(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    return {
        "attendance": [
            {
                "meeting": a.meeting_id,
                "title": a.title,
                "occurrence": a.occurrence.isoformat(),
                "source": a.source.value,
                "recorded_at": a.recorded_at.isoformat(),
            }
            for a in await uow.attendance.history_of(member_id)
        ]
    }
