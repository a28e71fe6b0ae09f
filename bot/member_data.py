"""What each capability does with a member's data when they leave or ask for a copy.

A capability declares both on its `Capability` (bot/capability.py): `on_leave`
steps, run in the same unit of work as `members.erase` (so a failure undoes the
whole leaving), and `export` parts, whose keys join the member's JSON export.
The registry gathers them into one MemberData (bot/registry.py), which use cases
reach through the catalogue (`ctx.catalogue.member_data`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot/ports.py gathers the capabilities' repositories
    from bot.ports import UnitOfWork

# Forget what was the member's own in one capability (their answers, follows, votes).
LeaveStep = Callable[["UnitOfWork", int, datetime], Awaitable[None]]
# What a capability holds about the member, as JSON-ready values under its own keys.
ExportPart = Callable[["UnitOfWork", int], Awaitable[Mapping[str, object]]]


@dataclass(frozen=True, slots=True)
class MemberData:
    on_leave: tuple[LeaveStep, ...] = ()
    export: tuple[ExportPart, ...] = ()

    async def erase(self, uow: UnitOfWork, member_id: int, *, at: datetime) -> None:
        """The member leaves (or is declined): profile, accounts, then each capability's part."""
        await uow.members.erase(member_id, at=at)
        for step in self.on_leave:
            await step(uow, member_id, at)

    async def exported(self, uow: UnitOfWork, member_id: int) -> dict[str, object]:
        """Every capability's part of the export; two declaring the same key is a bug."""
        data: dict[str, object] = {}
        for part in self.export:
            found = await part(uow, member_id)
            assert not data.keys() & found.keys(), f"export keys declared twice: {found.keys()}"
            data.update(found)
        return data
