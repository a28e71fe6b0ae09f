"""The sessions report from Discord end to end: `/report sessions` with its start and end
boxes (named so because Discord cannot take an option called `from`), through the real
discord.py against the fake Discord."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.config import Config
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.fakes.discord import FakeDiscord
from tests.harness import Harness
from tests.reports_data import AFTER, known_sessions


async def test_an_admin_reads_the_report_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    await known_sessions(Harness(sqlite))
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        options = {"name": "Alice Admin", "organization": "County PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="alice")
        shown = await bot.command(
            "report sessions", {"start": "2026-03-01", "end": "2026-03-31"}, user="alice"
        )
        text = text_of(shown.data)
        assert "Sessions: 3. Participants: 4 (1 at two or more). Organizations: 3." in text
        assert "2026-03-10 Data workshop: going 1, maybe 0, not going 0; attended 0" in text
        for name in ("María", "Lee Park", "Sam Hidden", "Ana Torres"):
            assert name not in text
        assert isinstance(bot.app.clock, ManualClock)
        bot.app.clock.set(AFTER)  # every session of March has ended, the moved one too
        later = await bot.command(
            "report sessions", {"start": "2026-03-01", "end": "2026-03-31"}, user="alice"
        )
        moved = text_of(later.data)
        assert "2026-03-27 (moved from 2026-03-26) Office hours: going 0" in moved, moved
