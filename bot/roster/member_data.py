"""A leaving member's roster row (the invitation they joined with) goes too."""

from __future__ import annotations

from datetime import datetime

from bot.ports import UnitOfWork


async def forget_invitation(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.invitations.forget_member(member_id)
