"""Meetings in Discord: what is checked before a meeting is saved, and what each person is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.config import Config
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

MEETING = {"title": "Office hours", "date": "2026-03-05", "time": "9am"}


async def test_an_unknown_meeting_channel_is_refused_before_saving(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, organization="PH") as bot:
        unknown = await bot.command(
            "meeting schedule", {**MEETING, "channel": "#does-not-exist"}, user="alice"
        )
        assert "There is no channel" in text_of(unknown.data)
        assert "does-not-exist" in text_of(unknown.data)
    async with sqlite.unit_of_work() as uow:
        assert await uow.meetings.get(1) is None
    assert fake.messages_in("announcements") == []


async def test_a_reminder_dm_in_discord_says_both_zones(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    fake.guild.add_text_channel("announcements")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        assert bot.app.scheduler is not None and isinstance(bot.app.clock, ManualClock)
        reminders = bot.app.dispatcher.services.get(ReminderService)
        for user, name, zone in (
            ("alice", "Alice Admin", "America/Los_Angeles"),
            ("carol", "Carol Diaz", "America/New_York"),
        ):
            options = {"name": name, "organization": "PH", "discipline": "Policy"}
            await bot.command("join", {**options, "region": "West", "timezone": zone}, user=user)
        meeting = {**MEETING, "timezone": "America/Los_Angeles"}
        await bot.command("meeting schedule", meeting, user="alice")
        await reminders.run_due()
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        going = next(b for b in buttons_of(post) if b["label"] == "Going")
        await bot.click(going["custom_id"], post, user="carol")
        bot.app.clock.set(datetime(2026, 3, 5, 17, 0, tzinfo=UTC) - timedelta(minutes=15))
        await reminders.run_due()
        dm = await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        shown = text_of(dm).replace("\u202f", " ").replace("\\_", "_")  # markdown escapes
        assert "9:00 AM America/Los_Angeles (12:00 PM your time)" in shown
        assert "<t:" in shown  # the When field: Discord shows it in the reader's own zone
