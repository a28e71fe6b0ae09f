"""Delivering what is due exactly once: the sweep.

The scheduler (adapters/scheduling.py) only decides *when* to look; a sweep:

1. writes how earlier posts went, if that could not be written then
   (bot/meetings/posting.py `Outcomes`);
2. claims everything due and not claimed yet (bot/meetings/due.py says what is due,
   bot/meetings/claiming.py claims it) and commits the claims before any post;
3. takes again failed posts whose retry time came, and claims left unfinished for
   `claim_timeout_seconds` by any instance, this one included;
4. posts every claim (bot/meetings/posting.py), whatever failed in step 3: what is
   claimed is posted, or handed back to be taken again. While they are posted, the
   claims' `claimed_at` is refreshed (`Heartbeat`), so a long fan-out's claims never
   look stale to another instance. Steps 1-3 run one sweep at a
   time; posting does not, so a later sweep claims and posts its own deliveries
   while an earlier one's slow fan-out is still going;
5. refreshes the announcements whose counts changed.

Policy: a reminder up to `grace_minutes` late is still sent and marked late
(the bot was down); an older one is recorded as skipped and logged, so a
restart never floods a channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.i18n import translator
from bot.meetings.announcements import announcement_edits
from bot.meetings.claiming import claim_due, take_retries
from bot.meetings.due import all_due, meetings_between
from bot.meetings.jobs import Job, SweepReport
from bot.meetings.model import ROW_ERRORS
from bot.meetings.posting import Heartbeat, Lanes, Outcomes, post_all
from bot.ports import UnitOfWorkFactory

__all__ = ["ReminderService", "SweepReport"]

log = logging.getLogger(__name__)


class ReminderService:
    """Finds what is due, claims it once in storage, and posts it on every platform."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        broadcaster: Broadcaster,
        clock: Clock,
        config: Config,
        *,
        owner: str,
        write_backoff_seconds: float = 0.2,
        beat_wait: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.unit_of_work = unit_of_work
        self.broadcaster = broadcaster
        self.clock = clock
        self.config = config
        self.owner = owner  # who claimed a delivery: this instance
        self.outcomes = Outcomes(unit_of_work, backoff_seconds=write_backoff_seconds)
        self.lanes = Lanes()  # shared by overlapping sweeps: the limits are per instance
        # Claims being posted are refreshed three times a claim timeout, so no other
        # instance takes them as stale however long a fan-out lasts.
        self.heartbeat = Heartbeat(
            unit_of_work,
            clock,
            owner,
            config.meetings.claim_timeout_seconds / 3,
            wait=beat_wait,
        )
        self._claiming = asyncio.Lock()

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.config.meetings.grace_minutes)

    async def run_due(self) -> SweepReport:
        """Deliver everything due now, retry failed posts, refresh announcement counts.

        Sweeps overlap: one claims while an earlier one may still be posting (a slow
        fan-out of DMs holds up no later reminder). Raises what the database raised,
        after posting whatever was claimed."""
        report = SweepReport()
        jobs: list[Job] = []
        try:
            async with self._claiming:  # one claim phase at a time, however many jobs fire
                await self.outcomes.write()
                platforms = self.broadcaster.platforms
                if platforms:  # else nothing can be posted: claim nothing, so nothing is lost
                    jobs += await self.claim_due(report)
                    jobs += await self._retries(platforms)
        finally:
            await post_all(
                jobs,
                self.broadcaster,
                self.outcomes,
                self.clock,
                self.config,
                report,
                self.lanes,
                self.heartbeat,
            )
        await self._refresh_announcements()
        return report

    async def claim_due(self, report: SweepReport) -> list[Job]:
        """Claim what is due now (committed), without posting: step 2 of a sweep."""
        async with self.unit_of_work() as uow:
            return await claim_due(
                uow,
                self.config,
                self.broadcaster.platforms,
                owner=self.owner,
                now=self.clock.now(),
                report=report,
            )

    async def _retries(self, platforms: list[str]) -> list[Job]:
        async with self.unit_of_work() as uow:
            return await take_retries(
                uow,
                self.config,
                platforms,
                owner=self.owner,
                now=self.clock.now(),
                keep=self.outcomes.pending,
            )

    async def next_due(self, until: datetime) -> list[datetime]:
        """Instants in (now, until] when something becomes due: the scheduler's job times."""
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            meetings, changes = await meetings_between(uow, now, until)
        dues = all_due(meetings, changes, now, until, self.config)
        return sorted({due.due_at for due in dues if due.due_at > now})

    # -- announcements kept current ----------------------------------------------

    async def _refresh_announcements(self) -> None:
        async with self.unit_of_work() as uow:
            wanted = await uow.meetings.refresh_wanted()
        for meeting_id, requested_at in wanted:
            await self.refresh(meeting_id, requested_at)

    async def refresh(self, meeting_id: int, requested_at: datetime) -> None:
        tr = translator(self.config.coalition.language)
        async with self.unit_of_work() as uow:
            try:
                edits = await announcement_edits(uow, tr, meeting_id, self.clock.now())
            except ROW_ERRORS:  # a broken meeting row: its cards stay as they are
                log.exception("cannot redraw the announcements of meeting %s", meeting_id)
                edits = []
            await uow.meetings.refreshed(meeting_id, requested_at)
            await uow.commit()
        for ref, message in edits:
            try:
                await self.broadcaster.edit(ref, message)
            except Exception:  # the counts are shown again at the next change
                log.exception("could not update the announcement of meeting %s", meeting_id)
