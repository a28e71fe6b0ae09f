"""One's own profile shows the reminder setting and how to change it, the Discord way."""

from __future__ import annotations

from tests.adapters.discord.conftest import Bot, text_of
from tests.adapters.discord.test_membership import join_with_options


async def test_own_profile_shows_dm_reminders_and_how_to_turn_them_off(bot: Bot) -> None:
    await join_with_options(bot, "alice", "Alice Admin")
    await join_with_options(bot, "bob", "Bob Builder")
    mine = text_of((await bot.command("profile view", user="alice")).data)
    assert "Meeting reminders by direct message\non\n" in mine  # the field, then its value
    assert "`/profile edit dm_reminders: no`" in mine
    theirs = text_of((await bot.command("profile view", {"member": "bob"}, user="alice")).data)
    assert "Meeting reminders" not in theirs  # only one's own


async def test_after_turning_them_off_the_profile_says_off(bot: Bot) -> None:
    await join_with_options(bot, "alice", "Alice Admin")
    await bot.command("profile edit", {"dm_reminders": False}, user="alice")
    mine = text_of((await bot.command("profile view", user="alice")).data)
    assert "`/profile edit dm_reminders: yes`" in mine
    assert "Meeting reminders by direct message\noff\n" in mine  # the hint now says "on"
