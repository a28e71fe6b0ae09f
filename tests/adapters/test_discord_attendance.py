"""Checking in from Discord end to end: the real discord.py against the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime

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


async def test_check_in_from_the_starting_now_reminder_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, ("carol", "Carol Diaz")) as bot:
        reminders = bot.app.dispatcher.services.get(ReminderService)  # by hand: a ManualClock
        meeting = {
            "title": "Office hours",
            "date": "2026-03-05",
            "time": "9am",
            "timezone": "America/Los_Angeles",
            "reminders": "none",
        }
        assert "Scheduled." in text_of(
            (await bot.command("meeting schedule", meeting, user="alice")).data
        )
        assert isinstance(bot.app.clock, ManualClock)
        bot.app.clock.set(FIRST)
        await reminders.run_due()
        starting = await fake.wait_for_message(
            "announcements", lambda m: "is starting now" in text_of(m), timeout=WAIT
        )
        here = next(b for b in buttons_of(starting) if b["label"] == "I'm here")
        assert len(here["custom_id"]) <= 100

        answer = await bot.click(here["custom_id"], starting, user="carol")
        assert "You're checked in to" in text_of(answer.data)
        again = await bot.click(here["custom_id"], starting, user="carol")
        assert "already checked in" in text_of(again.data)

        shown = await bot.command(
            "meeting attendance", {"id": 1, "occurrence": "2026-03-05"}, user="alice"
        )
        assert "1 member present" in text_of(shown.data) and "Carol Diaz" in text_of(shown.data)
