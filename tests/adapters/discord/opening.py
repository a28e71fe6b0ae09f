"""The opening most Discord tests share: an announcements channel, Alice as the configured
admin, the bot running, and Alice (then any other members) joined."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Config
from storage import Storage
from tests.adapters.discord.conftest import Bot, running_bot
from tests.fakes.discord import FakeDiscord


@asynccontextmanager
async def admin_bot(
    fake: FakeDiscord,
    storage: Storage,
    *members: tuple[str, str],
    organization: str = "County PH",
) -> AsyncIterator[Bot]:
    """Run the bot with Alice as admin; `members` are (user, name) pairs joined after her."""
    fake.guild.add_text_channel("announcements")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, storage, config) as bot:
        for user, name in (("alice", "Alice Admin"), *members):
            options = {"name": name, "organization": organization, "discipline": "Policy"}
            await bot.command("join", {**options, "region": "West"}, user=user)
        yield bot
