"""Sweeps that overlap: a slow fan-out holds up no later reminder, and lanes per platform."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from adapters.scheduling import Scheduler
from bot.delivery import Broadcaster
from bot.identity import Identity
from bot.meetings.jobs import Job, SweepReport
from bot.meetings.model import (
    Delivery,
    DeliveryKey,
    DeliveryKind,
    DeliveryStatus,
    DeliveryTarget,
    Meeting,
    Occurrence,
)
from bot.meetings.posting import Lanes, Outcomes, post_all
from bot.messages import Destination, Heading, Message, ToChannel, ToMember
from bot.ports import PostedMessage
from tests.core.test_reminders import FIRST, SCHEDULE, reminders
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service


class HeldDms(RefPoster):
    """Holds every DM until released, as a platform's rate limit would."""

    def __init__(self, platform: str = "console") -> None:
        super().__init__(platform)
        self.waiting = asyncio.Event()  # a DM is held
        self.release = asyncio.Event()
        self.held = 0

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        self.held += 1
        self.waiting.set()
        await self.release.wait()
        return await super().post_to_user(identity, message)


async def held_dm_and_a_later_meeting(harness: Harness) -> HeldDms:
    """Office hours at 9:00 with Maria going (her DMs held), Board at 9:01 elsewhere."""
    poster = HeldDms()
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", SCHEDULE + " reminders=none")
    await harness.say(
        "admin",
        'meeting schedule title="Board" date=2026-03-05 time=9:01am '
        "timezone=America/Los_Angeles channel=board reminders=none",
    )
    await reminder_service(harness).run_due()  # the announcements
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    return poster


async def test_a_later_reminder_is_posted_while_an_earlier_sweeps_dms_are_held(
    harness: Harness,
) -> None:
    poster = await held_dm_and_a_later_meeting(harness)
    service = reminder_service(harness)
    harness.clock.set(FIRST)
    first = asyncio.ensure_future(service.run_due())  # Office hours, and Maria's DM
    await asyncio.wait_for(poster.waiting.wait(), timeout=10)
    harness.clock.set(FIRST + timedelta(minutes=1))  # Board is due: posted now
    await asyncio.wait_for(service.run_due(), timeout=10)
    assert len(reminders(poster, "#board")) == 1 and poster.to("@maria") == []
    # Maria's claim is older than the claim timeout, but in flight here: not retaken.
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await asyncio.wait_for(service.run_due(), timeout=10)
    assert poster.held == 1 and not first.done()
    poster.release.set()
    report = await asyncio.wait_for(first, timeout=10)
    assert report.sent == 2 and len(poster.to("@maria")) == 1
    order = [p.where for p in poster.posts if "New meeting" not in p.text]
    assert order == ["#announcements", "#board", "@maria"]


async def test_the_scheduler_sweeps_again_while_a_sweep_still_posts(harness: Harness) -> None:
    poster = await held_dm_and_a_later_meeting(harness)
    broadcaster = harness.dispatcher.broadcaster
    scheduler = Scheduler(harness.storage, broadcaster, harness.clock, harness.config)
    scheduler.plan(reminder_service(harness))
    scheduler.is_leader = True  # as if elected: no election runs in this test
    harness.clock.set(FIRST)
    first = asyncio.ensure_future(scheduler.sweep())
    await asyncio.wait_for(poster.waiting.wait(), timeout=10)
    harness.clock.set(FIRST + timedelta(minutes=1))
    await asyncio.wait_for(scheduler.sweep(), timeout=10)
    assert len(reminders(poster, "#board")) == 1 and poster.to("@maria") == []
    closing = asyncio.ensure_future(scheduler.close())  # waits for the first sweep's posts
    poster.release.set()
    await asyncio.wait_for(closing, timeout=10)
    assert first.done() and len(poster.to("@maria")) == 1 and scheduler.sweeps == 2


def job(delivery_id: int, platform: str, to: Destination) -> Job:
    target = (
        DeliveryTarget.channel(platform)
        if isinstance(to, ToChannel)
        else DeliveryTarget.dm(delivery_id)
    )
    key = DeliveryKey(1, FIRST, DeliveryKind.REMINDER, 0, target)
    delivery = Delivery(delivery_id, key, FIRST, date(2026, 3, 5), DeliveryStatus.CLAIMED, 1)
    meeting = Meeting(1, "Office hours", datetime(2026, 3, 5, 9), "UTC", 60, "announcements")
    occurrence = Occurrence(1, date(2026, 3, 5), FIRST, FIRST + timedelta(hours=1))
    return Job(
        delivery, meeting, occurrence, to, platform, Message((Heading(f"post {delivery_id}"),))
    )


async def test_dms_waiting_on_one_platform_hold_up_no_other_platform_nor_channel(
    harness: Harness,
) -> None:
    slack, discord = HeldDms("slack"), RefPoster("discord")
    broadcaster = Broadcaster()
    broadcaster.connect(slack)
    broadcaster.connect(discord)
    outcomes = Outcomes(harness.storage.unit_of_work)
    lanes = Lanes(size=1)  # one post at a time in each lane

    async def post(jobs: list[Job]) -> None:
        await post_all(
            jobs, broadcaster, outcomes, harness.clock, harness.config, SweepReport(), lanes
        )

    dms = [job(n, "slack", ToMember((Identity("slack", "T1", f"U{n}"),))) for n in (1, 2)]
    waiting = asyncio.ensure_future(post(dms))  # Slack's DM lane is full
    await asyncio.wait_for(slack.waiting.wait(), timeout=10)
    later = [
        job(3, "slack", ToChannel("announcements")),
        job(4, "discord", ToChannel("announcements")),
        job(5, "discord", ToMember((Identity("discord", "G1", "5"),))),
    ]
    await asyncio.wait_for(post(later), timeout=10)
    assert [p.where for p in slack.posts] == ["#announcements"] and slack.held == 1
    assert sorted(p.where for p in discord.posts) == ["#announcements", "@5"]
    slack.release.set()
    await asyncio.wait_for(waiting, timeout=10)
    assert sorted(p.where for p in slack.posts) == ["#announcements", "@U1", "@U2"]
    assert not outcomes.pending
