"""Who acted and where, from a Discord interaction."""

from __future__ import annotations

from typing import Any

import discord

from bot.i18n import locale_language
from bot.identity import Identity, Place
from bot.invocation import ActorHints

PLATFORM = "discord"
DIRECT = "dm"  # the workspace of a direct message, which has no guild


def workspace(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.guild_id) if interaction.guild_id else DIRECT


def actor(interaction: discord.Interaction[Any]) -> Identity:
    return Identity(PLATFORM, workspace(interaction), str(interaction.user.id))


def member(user: discord.abc.Snowflake, interaction: discord.Interaction[Any]) -> Identity:
    """A member named in an option: the same workspace as the person who named them."""
    return Identity(PLATFORM, workspace(interaction), str(user.id))


def place(interaction: discord.Interaction[Any]) -> Place:
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return Place(
            PLATFORM, workspace(interaction), str(channel.parent_id), thread=str(channel.id)
        )
    direct = interaction.guild_id is None
    return Place(
        PLATFORM, workspace(interaction), str(interaction.channel_id or ""), is_direct=direct
    )


def language(locale: discord.Locale) -> str:
    """Discord's locale ("es-ES", "es-419", "en-US") as a language code ("es", "en")."""
    return locale_language(locale.value) or ""


def hints(interaction: discord.Interaction[Any]) -> ActorHints:
    # Discord tells us neither a time zone nor anything else of the person.
    return ActorHints(name=interaction.user.display_name, language=language(interaction.locale))
