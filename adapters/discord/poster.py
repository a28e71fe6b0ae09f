"""What the core posts unprompted (join requests, welcomes) to Discord channels and DMs."""

from __future__ import annotations

import logging

import discord

from adapters.discord.identity import PLATFORM
from adapters.discord.render import render, render_one
from bot.config import Config
from bot.identity import Identity
from bot.messages import Message
from bot.ports import PostedMessage

log = logging.getLogger(__name__)


class ChannelNotFound(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"Discord has no text channel #{name} in the coalition's server that the bot can "
            "see. Create it, or name an existing channel under [channels] in config.toml."
        )


class NotAUser(Exception):
    def __init__(self, identity: Identity) -> None:
        super().__init__(f"{identity} is not a Discord account, so it cannot get a Discord DM.")


class DiscordPoster:
    """A channel is found by name in the configured servers (every server the bot is in,
    when none is configured); a direct message goes to the member's Discord account.

    Posting raises when Discord refuses (no such channel, DMs closed), as the core's
    Poster protocol asks, so callers that must not lose a message can retry. Rate
    limits (429) are not failures: discord.py waits them out per channel, so a burst
    of posts arrives whole and in order.
    """

    platform = PLATFORM

    def __init__(self, client: discord.Client, config: Config, guild_ids: tuple[int, ...]) -> None:
        self.client = client
        self.language = config.coalition.language
        self.guild_ids = guild_ids

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        targets = self._channels(channel)
        if not targets:
            raise ChannelNotFound(channel)
        first: PostedMessage | None = None
        for target in targets:
            posted = await self._post(target, message)
            first = first or posted
        assert first is not None
        return first

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        if identity.platform != PLATFORM or not identity.user_id.isdigit():
            raise NotAUser(identity)
        channel = await self.client.create_dm(discord.Object(int(identity.user_id)))
        # discord.Forbidden (code 50007) when the person does not accept DMs: raised.
        return await self._post(channel, message)

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        """Replace a message posted earlier (a live count): one message, shortened if it must."""
        channel = self.client.get_partial_messageable(int(posted.channel))
        part = render_one(message, self.language)
        await channel.get_partial_message(int(posted.message_id)).edit(**part.edit_kwargs())

    async def _post(self, target: discord.abc.Messageable, message: Message) -> PostedMessage:
        """Every part of the message, in order; the reference is to the first."""
        first: discord.Message | None = None
        for part in render(message, self.language):
            sent = await target.send(**part.send_kwargs())
            first = first or sent
        assert first is not None
        return PostedMessage(PLATFORM, str(first.channel.id), str(first.id))

    def _channels(self, name: str) -> list[discord.TextChannel]:
        wanted = name.lower().removeprefix("#")
        guilds = (
            [g for i in self.guild_ids if (g := self.client.get_guild(i)) is not None]
            if self.guild_ids
            else list(self.client.guilds)
        )
        return [c for g in guilds for c in g.text_channels if c.name.lower() == wanted]
