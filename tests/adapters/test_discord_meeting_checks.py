"""Meetings in Discord: what is checked before a meeting is saved, and what each person is sent."""

from __future__ import annotations

from bot.config import Config
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.fakes.discord import FakeDiscord

MEETING = {"title": "Office hours", "date": "2026-03-05", "time": "9am"}


async def test_an_unknown_meeting_channel_is_refused_before_saving(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    fake.guild.add_text_channel("announcements")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        options = {"name": "Alice Admin", "organization": "PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="alice")
        unknown = await bot.command(
            "meeting schedule", {**MEETING, "channel": "#does-not-exist"}, user="alice"
        )
        assert "There is no channel" in text_of(unknown.data)
        assert "does-not-exist" in text_of(unknown.data)
    async with sqlite.unit_of_work() as uow:
        assert await uow.meetings.get(1) is None
    assert fake.messages_in("announcements") == []
