"""A member's evaluations: forgotten when they leave, listed in their export.

When they leave, who they were sent to and who answered go, and a named answer
stays in the occurrence's answers without their name (the report's counts do not
change after the fact). Their export lists what was sent and answered, with their
answers to named evaluations only: nothing ties an anonymous answer to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_evaluations(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.evaluations.forget_member(member_id)


async def export_evaluations(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    return {
        "session_evaluations": [
            {
                "meeting": e.meeting_id,
                "occurrence": e.occurrence.isoformat(),
                "sent": e.sent,
                "answered": e.answered,
                "answers": None if e.answers is None else list(e.answers),
            }
            for e in await uow.evaluations.of_member(member_id)
        ]
    }
