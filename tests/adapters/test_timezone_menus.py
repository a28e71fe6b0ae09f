"""Slack's time-zone menu and Discord's autocomplete offer the same zones, in the same
order: both ask bot/timezones.py."""

from __future__ import annotations

from typing import Any, cast

import discord
import pytest

from adapters.discord import limits
from adapters.discord.commands import _complete_timezone
from adapters.slack.forms import timezone_options
from bot.timezones import US_ZONES


@pytest.mark.parametrize("typed", ["", "chicago", "Eastern", "pacific", "pago", "europe/m"])
async def test_slack_and_discord_list_the_same_zones(typed: str) -> None:
    complete = _complete_timezone("America/Chicago")
    interaction = cast(discord.Interaction[Any], None)  # the completer does not read it
    on_discord = [choice.value for choice in await complete(interaction, typed)]
    on_slack = [option["value"] for option in timezone_options(typed, "America/Chicago")]
    assert on_discord
    assert on_slack[: len(on_discord)] == on_discord[: len(on_slack)]


async def test_both_start_with_every_us_zone() -> None:
    complete = _complete_timezone("America/New_York")
    on_discord = [c.value for c in await complete(cast(discord.Interaction[Any], None), "")]
    on_slack = [option["value"] for option in timezone_options("", "America/New_York")]
    assert on_discord[: len(US_ZONES)] == list(US_ZONES) == on_slack[: len(US_ZONES)]
    assert len(on_discord) == limits.CHOICES
