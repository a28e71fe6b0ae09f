"""Reminders with a controlled clock: offsets, DMs, exactly once, grace, retries, edits, DST."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.capability_settings import Meetings
from bot.config import Config
from bot.delivery import Broadcaster
from bot.meetings.reminders import ReminderService, SweepReport
from bot.messages import Destination, Message
from bot.ports import PostedMessage
from storage import Storage
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster

# The first occurrence: Thursday 2026-03-05 9:00 in Los Angeles (PST) = 17:00 UTC.
FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
SCHEDULE = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=weekly"
)


async def setup(harness: Harness, *, going: bool = True, only_at_start: bool = False) -> RefPoster:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", SCHEDULE + (" reminders=none" if only_at_start else ""))
    await reminder_service(harness).run_due()
    if going:
        await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    return poster


def reminders(poster: RefPoster, where: str = "#announcements") -> list[str]:
    return [p.text for p in poster.to(where) if "New meeting" not in p.text]


async def statuses(harness: Harness) -> list[tuple[str, int, str]]:
    async with harness.storage.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT status, attempts, target FROM meeting_deliveries "
                "WHERE kind = 'remind' ORDER BY id"
            )
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def test_reminders_at_each_offset_and_at_the_start_with_a_dm_for_those_going(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    service = reminder_service(harness)
    harness.clock.set(FIRST - timedelta(days=1, seconds=1))
    await service.run_due()
    assert reminders(poster) == []
    harness.clock.set(FIRST - timedelta(days=1))
    await service.run_due()
    (day_before,) = reminders(poster)
    assert "Reminder: Office hours starts at" in day_before and "https://zoom.us/j/1" in day_before
    (dm,) = poster.to("@maria")
    assert "You said you're going" in dm.text
    assert [b.label for b in dm.message.buttons] == ["Going", "Maybe", "Can't go"]
    harness.clock.set(FIRST - timedelta(minutes=15))
    await service.run_due()
    harness.clock.set(FIRST)
    await service.run_due()
    await service.run_due()  # nothing is sent twice
    assert len(reminders(poster)) == 3 and "is starting now" in reminders(poster)[-1]
    assert len(poster.to("@maria")) == 3


async def test_no_dm_for_members_who_turned_them_off(harness: Harness) -> None:
    poster = await setup(harness)
    await harness.say("maria", "profile edit dm_reminders=no")
    harness.clock.set(FIRST)
    await reminder_service(harness).run_due()
    assert reminders(poster) and poster.to("@maria") == []


@pytest.mark.both_databases
async def test_two_instances_deliver_each_reminder_once(harness: Harness) -> None:
    poster = await setup(harness)
    harness.clock.set(FIRST - timedelta(minutes=15))
    first, second = reminder_service(harness, "one"), reminder_service(harness, "two")
    reports = await asyncio.gather(first.run_due(), second.run_due(), first.run_due())
    assert sum(r.claimed for r in reports) == 2  # the channel and Maria's DM
    assert len(reminders(poster)) == 1 and len(poster.to("@maria")) == 1


async def test_after_downtime_late_within_grace_skipped_beyond(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    poster = await setup(harness, going=False)
    # Down from before the 15-minute reminder until 10 minutes after the start.
    harness.clock.set(FIRST + timedelta(minutes=10))
    with caplog.at_level(logging.WARNING):
        report = await reminder_service(harness).run_due()
    (late,) = reminders(poster)
    assert "is starting now" in late and "This reminder is late" in late
    assert report.late == 1 and report.skipped == 1  # the 15-minute one: 25 minutes late
    assert "skipped remind for meeting 1" in caplog.text
    (skipped,) = [r for r in caplog.records if r.getMessage().startswith("skipped")]
    assert (
        getattr(skipped, "delivery_key", None) == "1/20260305T170000/remind/15/console:#"
    )  # for JSON logs
    assert [s for s, _, _ in await statuses(harness)] == ["skipped", "sent"]


@pytest.mark.both_databases
async def test_a_failed_post_is_retried_with_backoff_and_only_then_marked_sent(
    harness: Harness,
) -> None:
    poster = await setup(harness, going=False, only_at_start=True)
    poster.failures = 2
    service = reminder_service(harness)
    harness.clock.set(FIRST)
    report = await service.run_due()
    assert report.failed == 1 and reminders(poster) == []
    assert await statuses(harness) == [("failed", 1, "console:#")]
    harness.clock.advance(timedelta(seconds=29))
    await service.run_due()
    assert await statuses(harness) == [("failed", 1, "console:#")]  # not before its time
    harness.clock.advance(timedelta(seconds=1))
    await service.run_due()  # fails again: next wait is twice as long
    assert await statuses(harness) == [("failed", 2, "console:#")]
    harness.clock.advance(timedelta(seconds=59))
    await service.run_due()
    assert reminders(poster) == []
    harness.clock.advance(timedelta(seconds=1))
    await service.run_due()
    assert len(reminders(poster)) == 1
    assert await statuses(harness) == [("sent", 3, "console:#")]


@pytest.mark.both_databases
async def test_gives_up_after_the_last_attempt(
    database: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    harness = Harness(database, Config(meetings=Meetings(max_attempts=2, retry_seconds=10)))
    poster = await setup(harness, going=False, only_at_start=True)
    poster.failures = 5
    service = reminder_service(harness)
    harness.clock.set(FIRST)
    await service.run_due()
    harness.clock.advance(timedelta(seconds=10))
    with caplog.at_level(logging.WARNING):
        await service.run_due()
    (gave_up,) = [r for r in caplog.records if r.getMessage().endswith("giving up")]
    assert getattr(gave_up, "delivery_key", None) == "1/20260305T170000/remind/0/console:#"
    harness.clock.advance(timedelta(hours=1))
    await service.run_due()
    assert await statuses(harness) == [("gave_up", 2, "console:#")]


@pytest.mark.both_databases
async def test_a_claim_left_by_a_dead_instance_is_taken_over(harness: Harness) -> None:
    poster = await setup(harness, going=False, only_at_start=True)
    harness.clock.set(FIRST)
    dead = reminder_service(harness, "dead")
    jobs = await dead.claim_due(SweepReport())  # claims are committed before posting
    assert len(jobs) == 1  # claimed, then the process died before posting
    alive = reminder_service(harness, "alive")
    await alive.run_due()
    assert reminders(poster) == []  # not before the claim times out
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await alive.run_due()
    assert len(reminders(poster)) == 1
    assert await statuses(harness) == [("sent", 2, "console:#")]


async def test_moving_an_occurrence_moves_its_reminders(harness: Harness) -> None:
    poster = await setup(harness, going=False)
    service = reminder_service(harness)
    await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-05 time=11:00")
    moved = FIRST + timedelta(hours=2)
    due = await service.next_due(FIRST + timedelta(days=1))
    assert FIRST not in due and moved in due and moved - timedelta(minutes=15) in due
    harness.clock.set(FIRST)
    await service.run_due()
    assert reminders(poster) == []
    harness.clock.set(moved - timedelta(minutes=15))
    await service.run_due()
    harness.clock.set(moved)
    await service.run_due()
    assert len(reminders(poster)) == 2 and "11:00 AM" in reminders(poster)[0]


async def test_reminders_follow_daylight_saving(harness: Harness) -> None:
    await setup(harness, going=False)
    service = reminder_service(harness)
    harness.clock.set(datetime(2026, 3, 10, tzinfo=UTC))
    due = await service.next_due(datetime(2026, 3, 13, tzinfo=UTC))
    # March 12 is after the change to PDT: 9:00 local is 16:00 UTC, not 17:00.
    start = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    assert due == [start - timedelta(days=1), start - timedelta(minutes=15), start]


async def test_a_meeting_scheduled_late_gets_no_reminders_from_before_it_existed(
    harness: Harness,
) -> None:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    harness.clock.set(datetime(2026, 3, 5, 16, 0, tzinfo=UTC))  # an hour before
    await harness.say("admin", SCHEDULE.replace("repeat=weekly", ""))
    report = await reminder_service(harness).run_due()
    assert report.skipped == 0 and len(poster.posts) == 1  # the announcement only


async def test_per_meeting_offsets(harness: Harness) -> None:
    with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.say("admin", SCHEDULE + ' reminders="2h, 10m"')
    due = await reminder_service(harness).next_due(FIRST + timedelta(minutes=1))
    assert due == [FIRST - timedelta(hours=2), FIRST - timedelta(minutes=10), FIRST]


@pytest.mark.both_databases
async def test_a_claim_left_by_a_crash_is_not_sent_after_the_grace_period(
    harness: Harness,
) -> None:
    poster = await setup(harness, going=False, only_at_start=True)
    harness.clock.set(FIRST)
    await reminder_service(harness, "dead").claim_due(SweepReport())
    harness.clock.advance(timedelta(minutes=harness.config.meetings.grace_minutes + 1))
    await reminder_service(harness, "alive").run_due()
    assert reminders(poster) == []
    assert await statuses(harness) == [("gave_up", 2, "console:#")]


async def test_channel_posts_go_before_direct_messages(harness: Harness) -> None:
    """A DM due earlier than another meeting's channel post still waits for it."""
    poster = await setup(harness)  # maria goes to "Office hours" (9:00 in Los Angeles)
    await harness.say(
        "admin",
        'meeting schedule title="Board" date=2026-03-05 time=9:01am '
        "timezone=America/Los_Angeles channel=board reminders=none",
    )
    harness.clock.set(FIRST + timedelta(minutes=1))  # both are due in one sweep
    await reminder_service(harness).run_due()
    order = [p.where for p in poster.posts if "New meeting" not in p.text]
    assert sorted(order) == ["#announcements", "#board", "@maria"]
    assert order[-1] == "@maria"


class GatedPoster(RefPoster):
    """Holds the first channel post until released: a sweep caught mid-post."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        if self.armed and not self.holding.is_set():
            self.holding.set()
            await self.release.wait()
        return await super().post_to_channel(channel, message)


async def test_posts_a_stopped_sweep_never_tried_are_handed_back(harness: Harness) -> None:
    poster = GatedPoster()
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    await harness.join("admin", "Dana Reyes")
    for title in ("Office hours", "Board"):  # both in #announcements, at the same time
        await harness.say("admin", SCHEDULE.replace("Office hours", title) + " reminders=none")
    await reminder_service(harness).run_due()  # the announcements
    poster.armed = True
    harness.clock.set(FIRST)
    sweep = asyncio.ensure_future(reminder_service(harness).run_due())
    await asyncio.wait_for(poster.holding.wait(), timeout=10)  # the first post is in flight
    sweep.cancel()  # the process is stopping
    with pytest.raises(asyncio.CancelledError):
        await sweep
    poster.release.set()
    rows = await statuses(harness)
    assert sorted(status for status, _, _ in rows) == [
        "claimed",
        "failed",
    ]  # in flight; handed back
    await reminder_service(harness, "other").run_due()  # at once, not after a timeout
    assert len(reminders(poster)) == 1
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await reminder_service(harness, "other").run_due()  # the one in flight: taken over
    assert sorted(status for status, _, _ in await statuses(harness)) == ["sent", "sent"]
    assert len(reminders(poster)) == 2


class RecordingBroadcaster(Broadcaster):
    def __init__(self) -> None:
        super().__init__()
        self.sends: list[tuple[str | None, bool]] = []

    async def send(
        self,
        platform: str,
        to: Destination,
        message: Message,
        *,
        key: str | None = None,
        recheck: bool = False,
    ) -> list[PostedMessage]:
        self.sends.append((key, recheck))
        return await super().send(platform, to, message, key=key, recheck=recheck)


async def test_each_post_names_its_delivery_and_a_takeover_asks_to_recheck(
    harness: Harness,
) -> None:
    await setup(harness, going=False, only_at_start=True)
    broadcaster = RecordingBroadcaster()
    broadcaster.connect(with_ref_poster(harness))
    harness.clock.set(FIRST)
    config = harness.config
    dead = ReminderService(
        harness.storage.unit_of_work, broadcaster, harness.clock, config, owner="dead"
    )
    (claimed,) = await dead.claim_due(SweepReport())  # and it died
    token = claimed.delivery.key.token
    assert token == "1/20260305T170000/remind/0/console:#"
    alive = ReminderService(
        harness.storage.unit_of_work, broadcaster, harness.clock, config, owner="alive"
    )
    harness.clock.advance(timedelta(seconds=config.meetings.claim_timeout_seconds + 1))
    await alive.run_due()
    assert broadcaster.sends == [(token, True)]  # taken over: it may have been posted
    harness.clock.set(FIRST + timedelta(days=7, hours=-1))  # the next week's, fresh
    await alive.run_due()
    assert broadcaster.sends[-1] == ("1/20260312T160000/remind/0/console:#", False)
