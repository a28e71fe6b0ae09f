"""The resources a member suggested, as their export lists them.

They stay in the library when the member leaves, tied to the tombstone.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.ports import UnitOfWork
from bot.resources.export import own_suggestion_record


async def export_suggestions(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    suggestions = await uow.resource_suggestions.suggested_by(member_id)
    return {"suggested_resources": [own_suggestion_record(s) for s in suggestions]}
