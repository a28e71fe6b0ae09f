"""Meetings in Discord end to end: the real discord.py against the fake Discord.

Schedule with typed options, the announcement with RSVP buttons, a Going click,
the counts edited on the announcement, the reminder in the channel and the DM.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.meetings.reminders import ReminderService
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    WAIT,
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.adapters.discord.opening import admin_bot
from tests.fakes.discord import FakeDiscord

FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)  # 9:00 in Los Angeles


async def test_schedule_announce_rsvp_remind_and_dm_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, ("carol", "Carol Diaz")) as bot:
        assert bot.app.scheduler is not None
        reminders = bot.app.dispatcher.services.get(
            ReminderService
        )  # driven by hand: the clock is a ManualClock
        meeting = {
            "title": "Office hours",
            "date": "2026-03-05",
            "time": "9am",
            "timezone": "America/Los_Angeles",
            "link": "https://zoom.us/j/1",
        }
        scheduled = await bot.command("meeting schedule", meeting, user="alice")
        assert "Scheduled." in text_of(scheduled.data)
        await reminders.run_due()
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        assert "Office hours" in text_of(post)
        going = next(b for b in buttons_of(post) if b["label"] == "Going")
        assert len(going["custom_id"]) <= 100

        answer = await bot.click(going["custom_id"], post, user="carol")
        assert "You're going to" in text_of(answer.data)
        await reminders.run_due()
        assert "Going: 1" in text_of(fake.messages[int(post["id"])])

        assert isinstance(bot.app.clock, ManualClock)
        bot.app.clock.set(FIRST - timedelta(minutes=15))
        await reminders.run_due()
        reminder = await fake.wait_for_message(
            "announcements", lambda m: "Reminder" in text_of(m), timeout=WAIT
        )
        assert "https://zoom.us/j/1" in text_of(reminder)
        dm = await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        assert "You said you're going" in text_of(dm)
