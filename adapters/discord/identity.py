"""Who acted and where, from a Discord interaction."""

from __future__ import annotations

from functools import lru_cache
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
    return _identity(workspace(interaction), interaction.user.id)


def member(user: discord.abc.Snowflake, interaction: discord.Interaction[Any]) -> Identity:
    """A member named in an option: the same workspace as the person who named them."""
    return _identity(workspace(interaction), user.id)


def place(interaction: discord.Interaction[Any]) -> Place:
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return _place(workspace(interaction), str(channel.parent_id), str(channel.id), False)
    direct = interaction.guild_id is None
    return _place(workspace(interaction), str(interaction.channel_id or ""), None, direct)


# Immutable values asked for on every interaction: made once per account or channel.
@lru_cache(maxsize=4096)
def _identity(workspace: str, user_id: int) -> Identity:
    return Identity(PLATFORM, workspace, str(user_id))


@lru_cache(maxsize=4096)
def _place(workspace: str, channel: str, thread: str | None, direct: bool) -> Place:
    return Place(PLATFORM, workspace, channel, thread=thread, is_direct=direct)


def language(locale: discord.Locale) -> str:
    """Discord's locale ("es-ES", "es-419", "en-US") as a language code ("es", "en")."""
    return locale_language(locale.value) or ""


def hints(interaction: discord.Interaction[Any]) -> ActorHints:
    # Discord tells us neither a time zone nor anything else of the person.
    return _hints(interaction.user.display_name, interaction.locale)


@lru_cache(maxsize=4096)
def _hints(name: str, locale: discord.Locale) -> ActorHints:
    return ActorHints(name=name, language=language(locale))
