"""Closing polls at their time: timed work the scheduler runs at each closing instant.

The scheduler asks `next_due` for the instants ahead and plans a job at each (as it
does for meeting reminders), so a poll closes at its time, not up to a check later;
every sweep also runs `run_due`, the safety net for an instant missed while down.
"""

from __future__ import annotations

from datetime import datetime

from bot.delivery import Services
from bot.polls.posting import close_due


class PollClosing:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def run_due(self) -> int:
        """Close the polls whose time has come; how many this call closed."""
        return await close_due(self.services)

    async def next_due(self, until: datetime) -> list[datetime]:
        """Instants in (now, until] when an open poll closes."""
        now = self.services.clock.now()
        async with self.services.unit_of_work() as uow:
            closing = await uow.polls.closing_between(now, until)
        return sorted(set(closing))
