"""A member's votes: forgotten when they leave, listed in their export.

A poll's counts stay when a voter leaves (its result does not change after the
fact); the rows tying the person to the poll and to their choices go, so a named
poll no longer names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_votes(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.polls.forget_voter(member_id)


async def export_votes(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    votes = await uow.polls.votes_of(member_id)
    return {
        "poll_votes": [
            {
                "poll": v.poll_id,
                "question": v.question,
                "anonymous": v.anonymous,
                # An anonymous poll never recorded what they chose.
                "choices": None if v.anonymous else list(v.choices),
            }
            for v in votes
        ]
    }
