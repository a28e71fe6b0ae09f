"""Examples are written the way Discord people type options: `region: West`."""

from __future__ import annotations

from storage import Storage
from tests.adapters.discord.conftest import Bot, running_bot, text_of
from tests.adapters.discord.test_membership import approval_config, join_with_options
from tests.fakes.discord import FakeDiscord


async def test_help_shows_options_as_typed_in_the_slash_command_box(bot: Bot) -> None:
    shown = text_of((await bot.command("help", {"command": "join"})).data)
    assert "/coalition join name: Maria Lopez organization: Alameda County Public Health" in shown
    assert "name=" not in shown and "region=" not in shown


async def test_help_writes_a_group_command_as_its_own_top_level_command(bot: Bot) -> None:
    """On Discord `/meeting schedule` is typed as is; Slack's `/coalition meeting ...` is not."""
    await join_with_options(bot, "alice", "Alice Admin")  # a member sees the groups' commands
    listed = text_of((await bot.command("help")).data)
    assert "/meeting list" in listed and "/profile edit" in listed
    assert "/coalition join" in listed and "/coalition help" in listed
    assert "/coalition meeting" not in listed and "/coalition profile" not in listed
    one = text_of((await bot.command("help", {"command": "meeting schedule"})).data)
    assert "/meeting schedule title: " in one
    assert "/coalition meeting" not in one
    group = text_of((await bot.command("help", {"command": "meeting"})).data)
    assert "/meeting list" in group and "/coalition meeting" not in group


async def test_an_error_example_names_the_option_the_discord_way(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    async with running_bot(fake, sqlite, approval_config(fake)) as bot:  # alice coordinates
        answer = await bot.command(
            "meeting schedule",
            {"title": "Office hours", "date": "2026-03-12", "time": "9am", "duration": "9999"},
        )
    said = text_of(answer.data)
    assert "duration: 1h30m" in said and "duration=" not in said
