"""A member who leaves stays in past sessions' figures, never named.

Meetings, attendance and evaluations delete the member's answers, check-ins and
sends when they leave. Before they do (the registry runs this step first), the
report keeps those as counts under a random number drawn for this departure,
with no member id (storage/schema/reports.py). Their profile is erased before
any step runs, so a member who left counts in answers, attendance, evaluations
sent and participants, but in no organization, jurisdiction or region. The
report holds nothing else of a member, so it adds nothing to their export.
"""

from __future__ import annotations

from datetime import datetime

from bot.ports import UnitOfWork


async def keep_departure(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    await uow.reports.keep_departure(member_id)
