"""A checked roster turned into invitations: idempotent, keyed by email, all or nothing.

The caller reads the file (reading.py) and refuses it whole if any row was refused;
this module only plans and writes rows that are all good.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.roster.model import InvitationStatus, RosterEntry, new_code
from bot.roster.ports import InvitationRepository

# Rows are looked up and written in batches, so a 10,000-row roster is a few statements.
BATCH = 500


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    JOINED = "joined"  # the invitation was used: the member's profile is theirs now


@dataclass(frozen=True, slots=True)
class Planned:
    row: int
    entry: RosterEntry
    code: str
    outcome: Outcome


async def plan_import(
    invitations: InvitationRepository,
    entries: Sequence[tuple[int, RosterEntry]],
    progress: Callable[[int], None] | None = None,
) -> list[Planned]:
    """What importing these entries would do, without writing anything."""
    planned: list[Planned] = []
    for start in range(0, len(entries), BATCH):
        batch = entries[start : start + BATCH]
        known = await invitations.by_emails([e.email for _, e in batch])
        for row, entry in batch:
            existing = known.get(entry.email)
            if existing is None:
                planned.append(Planned(row, entry, new_code(), Outcome.NEW))
            elif existing.status is InvitationStatus.USED:
                planned.append(Planned(row, existing.entry, existing.code, Outcome.JOINED))
            elif existing.entry == entry:
                planned.append(Planned(row, entry, existing.code, Outcome.UNCHANGED))
            else:
                planned.append(Planned(row, entry, existing.code, Outcome.UPDATED))
        if progress is not None:
            progress(len(planned))
    return planned


async def apply_import(
    invitations: InvitationRepository, planned: Sequence[Planned], *, at: datetime
) -> None:
    """Write the plan: new invitations added, changed pending ones updated."""
    for start in range(0, len(planned), BATCH):
        batch = planned[start : start + BATCH]
        await invitations.add_many(
            [(p.entry, p.code) for p in batch if p.outcome is Outcome.NEW], at=at
        )
        await invitations.update_many(
            [p.entry for p in batch if p.outcome is Outcome.UPDATED], at=at
        )


def summary(planned: Sequence[Planned]) -> dict[Outcome, int]:
    counts = dict.fromkeys(Outcome, 0)
    for p in planned:
        counts[p.outcome] += 1
    return counts
