"""The discussions a member follows: forgotten when they leave, listed in their export.

What they started stays, without their name (storage/members.py's tombstone).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_follows(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.discussions.forget_follower(member_id)


async def export_follows(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    return {"followed_discussions": await uow.discussions.followed_by(member_id)}
