"""A member's peer matching: forgotten when they leave, listed in their export.

Their opt-in and their places in rounds (with their check-in answers) go; the
members they were grouped with keep their own places, so their history stays,
without the leaver.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork


async def forget_matching(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.matching.forget(member_id)


async def export_matching(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    opt_in = await uow.matching.opt_in_of(member_id)
    places = await uow.matching.placements_of(member_id)
    rounds = []
    for place in places:
        group = await uow.matching.group_of(place.round_id, member_id)
        rounds.append(
            {
                "round": place.round_id,
                "matched_with": [m for m in group if m != member_id],
                "check_in_answer": place.answer,
            }
        )
    wishes = None
    if opt_in is not None:
        p = opt_in.preferences
        wishes = {
            "region": p.region,
            "discipline": p.discipline,
            "topics": list(p.topics),
            "role": p.role,
            "same_organization": p.same_organization,
            "joined_at": opt_in.joined_at.isoformat(),
            "snoozed_until": None
            if opt_in.snoozed_until is None
            else opt_in.snoozed_until.isoformat(),
        }
    return {"peer_matching": wishes, "peer_matching_rounds": rounds}
