"""Claims in flight never look stale: the heartbeat of a long fan-out.

Another instance (a new leader) sweeps while the first still posts, its DMs held as a
platform's rate limit holds them, long past the claim timeout: it takes nothing over.
Once the first instance is gone, its claims are taken over after the timeout.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.delivery import Broadcaster
from bot.meetings.reminders import ReminderService
from tests.core.test_reminder_overlap import HeldDms
from tests.core.test_reminders import FIRST, SCHEDULE, reminders
from tests.faults import ConnectionKiller
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service

pytestmark = pytest.mark.both_databases


class Beats:
    """The heartbeat's waits between beats, let go one at a time by the test."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()  # the heartbeat waits for its next beat
        self._gate: asyncio.Future[None] | None = None

    async def wait(self, seconds: float) -> None:
        self._gate = asyncio.get_running_loop().create_future()
        self.waiting.set()
        await self._gate

    async def beat(self) -> None:
        """Let one beat happen; back once it is over (the heartbeat waits again)."""
        await asyncio.wait_for(self.waiting.wait(), timeout=10)
        self.waiting.clear()
        assert self._gate is not None
        self._gate.set_result(None)
        await asyncio.wait_for(self.waiting.wait(), timeout=10)


async def maria_going(harness: Harness) -> HeldDms:
    """Office hours at 9:00 (a reminder at the start only), Maria going: DMs held."""
    poster = HeldDms()
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", SCHEDULE + " reminders=none")
    await reminder_service(harness).run_due()  # the announcement
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    return poster


def services(harness: Harness, beats: Beats) -> tuple[ReminderService, ReminderService, RefPoster]:
    """The instance posting (its heartbeat driven by `beats`), and another one."""
    first = ReminderService(
        harness.storage.unit_of_work,
        harness.dispatcher.broadcaster,
        harness.clock,
        harness.config,
        owner="first",
        beat_wait=beats.wait,
    )
    poster = RefPoster()
    broadcaster = Broadcaster()
    broadcaster.connect(poster)
    other = ReminderService(
        harness.storage.unit_of_work, broadcaster, harness.clock, harness.config, owner="other"
    )
    return first, other, poster


async def dm_claim(harness: Harness) -> tuple[str, str]:
    async with harness.storage.engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT status, owner FROM meeting_deliveries "
                    "WHERE kind = 'remind' AND target LIKE '@%'"
                )
            )
        ).one()
        return row[0], row[1]


async def test_claims_in_flight_are_not_taken_over_until_their_instance_is_gone(
    harness: Harness,
) -> None:
    held = await maria_going(harness)
    beats = Beats()
    first, other, elsewhere = services(harness, beats)
    timeout = timedelta(seconds=harness.config.meetings.claim_timeout_seconds)
    harness.clock.set(FIRST)
    posting = asyncio.ensure_future(first.run_due())  # the channel, and Maria's DM held
    await asyncio.wait_for(held.waiting.wait(), timeout=10)
    for _ in range(3):  # a fan-out lasting three claim timeouts and more
        harness.clock.advance(timeout + timedelta(seconds=1))
        await beats.beat()
        report = await asyncio.wait_for(other.run_due(), timeout=10)
        assert report.sent == 0 and elsewhere.posts == []
        assert await dm_claim(harness) == ("claimed", "first")
    posting.cancel()  # the first instance is gone: no mark written for Maria's DM
    await asyncio.wait_for(asyncio.gather(posting, return_exceptions=True), timeout=10)
    assert held.to("@maria") == [] and await dm_claim(harness) == ("claimed", "first")
    await asyncio.wait_for(other.run_due(), timeout=10)
    assert elsewhere.posts == []  # the last beat was a moment ago
    harness.clock.advance(timeout + timedelta(seconds=1))
    report = await asyncio.wait_for(other.run_due(), timeout=10)
    assert report.sent == 1 and len(elsewhere.to("@maria")) == 1
    assert elsewhere.keys[-1][1] is True  # taken over: the platform is asked first
    assert await dm_claim(harness) == ("sent", "other")
    assert len(reminders(held)) == 1  # the channel's, posted once by the first instance


async def test_a_failed_beat_is_logged_and_the_next_one_keeps_the_claims(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    held = await maria_going(harness)
    beats = Beats()
    first, other, elsewhere = services(harness, beats)
    timeout = timedelta(seconds=harness.config.meetings.claim_timeout_seconds)
    killer = ConnectionKiller(harness.storage.engine)
    try:
        harness.clock.set(FIRST)
        posting = asyncio.ensure_future(first.run_due())
        await asyncio.wait_for(held.waiting.wait(), timeout=10)
        killer.arm(1, matching="SET claimed_at")  # the beat's UPDATE, and only it
        harness.clock.advance(timeout / 2)
        with caplog.at_level(logging.WARNING, logger="bot.meetings.posting"):
            await beats.beat()
        assert killer.fired == 1 and "could not refresh" in caplog.text
        harness.clock.advance(timeout / 12)
        await beats.beat()  # the next beat refreshes them
        harness.clock.advance(timeout / 2)  # the claim itself is older than the timeout
        report = await asyncio.wait_for(other.run_due(), timeout=10)
        assert report.sent == 0 and elsewhere.posts == []
        assert not posting.done()
        held.release.set()  # the posts went on all along
        report = await asyncio.wait_for(posting, timeout=10)
    finally:
        killer.remove()
    assert report.sent == 2 and len(held.to("@maria")) == 1
    assert await dm_claim(harness) == ("sent", "first")
