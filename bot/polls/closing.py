"""Closing polls at their time: timed work the scheduler runs at each closing instant.

The scheduler asks `next_due` for the instants ahead and plans a job at each (as it
does for meeting reminders), so a poll closes at its time, not up to a check later;
every sweep also runs `run_due`, the safety net for an instant missed while down.
A final results post that failed is retried the same way, at its backoff's instant.
"""

from __future__ import annotations

from datetime import datetime

from bot.delivery import Services
from bot.polls.edits import PollEdits
from bot.polls.posting import retry_results


async def close_due(services: Services) -> int:
    """Close the polls whose time has come, each exactly once (a conditional UPDATE)."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        due = await uow.polls.due(now)
    closed = 0
    for poll_id in due:
        async with services.unit_of_work() as uow:
            mine = await uow.polls.close(poll_id, None, now)
            await uow.commit()
        if mine:  # another instance, or a person, may have closed it first
            closed += 1
            await services.get(PollEdits).close(poll_id)
    return closed


class PollClosing:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def run_due(self) -> int:
        """Close the polls whose time has come, retry results posts that failed;
        how many polls this call closed."""
        closed = await close_due(self.services)
        await retry_results(self.services)
        return closed

    async def next_due(self, until: datetime) -> list[datetime]:
        """Instants in (now, until] when an open poll closes or a results post is retried."""
        now = self.services.clock.now()
        async with self.services.unit_of_work() as uow:
            closing = await uow.polls.closing_between(now, until)
            retries = await uow.polls.results_between(now, until)
        return sorted(set(closing) | set(retries))
