"""What the core posts unprompted (join requests, welcomes) to Discord channels and DMs."""

from __future__ import annotations

import base64
import hashlib
import logging

import discord

from adapters.discord.forum_tags import tags_for
from adapters.discord.identity import PLATFORM
from adapters.discord.pacing import Pace
from adapters.discord.render import render, render_one
from bot.config import Config
from bot.identity import Identity
from bot.messages import Message
from bot.ports import ChannelProblem, PostedMessage, Undeliverable

log = logging.getLogger(__name__)

THREAD_NAME_MAX = 100  # Discord's limit for a thread's name
# What posting a discussion needs in its channel, with the names Discord's settings show.
DISCUSSION_PERMISSIONS = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("create_public_threads", "Create Public Threads"),
    ("send_messages_in_threads", "Send Messages in Threads"),
    ("manage_threads", "Manage Threads"),
)
# In a forum channel the bot makes posts, not threads on messages: "Send Messages"
# is called "Create Posts" there, and no thread permission is needed to make one.
FORUM_PERMISSIONS = (
    ("view_channel", "View Channel"),
    ("send_messages", "Create Posts"),
    ("send_messages_in_threads", "Send Messages in Posts"),
    ("manage_threads", "Manage Posts"),
)
Postable = discord.TextChannel | discord.ForumChannel
NONCE_MAX = 25  # Discord's limit for a message nonce given as a string


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
    of posts arrives whole and in order. Discord's global limit (50 requests a second)
    discord.py only learns from 429s, so every request made here first waits its turn
    in `pace` (see pacing.py), and a person's DM channel is opened once per process.
    """

    platform = PLATFORM

    def __init__(
        self,
        client: discord.Client,
        config: Config,
        guild_ids: tuple[int, ...],
        *,
        pace: Pace | None = None,
    ) -> None:
        self.client = client
        self.language = config.coalition.language
        self.guild_ids = guild_ids
        self.pace = pace or Pace()
        # User id -> their DM channel's id, for the life of the process (discord.py keeps
        # only the last 128), so a second reminder to someone costs one request, not two.
        self._dm_channels: dict[int, int] = {}

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        return await self.post_to_channel_once(channel, message, key=None)

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        return await self.post_to_user_once(identity, message, key=None)

    # -- the core's IdempotentPoster protocol ------------------------------------------
    # A keyed message's parts carry nonces made from the key, sent with enforce_nonce
    # (discord.py sends it with every nonce): for a few minutes Discord answers a repeat
    # with the message it already made. Nothing to look for on a recheck: the nonce is the
    # check, and Discord does not show nonces in a channel's history.

    async def post_to_channel_once(
        self, channel: str, message: Message, *, key: str | None, recheck: bool = False
    ) -> PostedMessage:
        targets = self._channels(channel)
        if not targets:
            raise ChannelNotFound(channel)
        first: PostedMessage | None = None
        for target in targets:
            if isinstance(target, discord.ForumChannel):
                # Creating a forum post takes no nonce: at least once, not exactly once.
                posted = await self._post_in_forum(target, message)
            else:
                posted = await self._post(target, message, key)
            first = first or posted
        assert first is not None
        return first

    async def post_to_user_once(
        self, identity: Identity, message: Message, *, key: str | None, recheck: bool = False
    ) -> PostedMessage:
        if identity.platform != PLATFORM or not identity.user_id.isdigit():
            raise NotAUser(identity)
        try:
            user_id = int(identity.user_id)
            known = self._dm_channels.get(user_id)
            if known is None:
                async with self.pace():
                    channel: discord.abc.Messageable = await self.client.create_dm(
                        discord.Object(user_id)
                    )
                assert isinstance(channel, discord.DMChannel)
                self._dm_channels[user_id] = channel.id
            else:
                channel = self.client.get_partial_messageable(
                    known, type=discord.ChannelType.private
                )
            return await self._post(channel, message, key)
        except discord.HTTPException as error:
            # 50007 "Cannot send messages to this user": they do not accept DMs from
            # the server's members, or blocked the bot. 10013: no such user any more.
            if error.code in (50007, 10013):
                raise Undeliverable(f"Discord user {identity.user_id}: {error}") from error
            raise

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        """Replace a message posted earlier (a live count): one message, shortened if it must."""
        channel = self.client.get_partial_messageable(int(posted.channel))
        part = render_one(message, self.language)
        await channel.get_partial_message(int(posted.message_id)).edit(**part.edit_kwargs())

    async def channel_problem(self, channel: str) -> ChannelProblem | None:
        """ChannelChecker: no such channel, or a permission a discussion needs is missing."""
        targets = self._channels(channel)
        if not targets:
            return ChannelProblem(PLATFORM)
        for target in targets:
            granted = target.permissions_for(target.guild.me)
            needed = (
                FORUM_PERMISSIONS
                if isinstance(target, discord.ForumChannel)
                else DISCUSSION_PERMISSIONS
            )
            for flag, name in needed:
                if not getattr(granted, flag):
                    return ChannelProblem(PLATFORM, name)
        return None

    # -- the core's Threader protocol ------------------------------------------------

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage:
        """A thread started from the posted message; its messages arrive in the thread.

        In a forum channel the message already opened a post (see `_post_in_forum`):
        that post is the thread.
        """
        channel = await self._channel(posted.channel)
        if isinstance(channel, discord.Thread) and channel.id == int(posted.message_id):
            # A forum post's first message shares the post's id.
            return PostedMessage(PLATFORM, str(channel.id), str(channel.id), channel.jump_url)
        assert isinstance(channel, discord.TextChannel), "discussions post in text channels"
        # A thread started from a message shares the message's id.
        thread = await channel.get_partial_message(int(posted.message_id)).create_thread(
            name=title[:THREAD_NAME_MAX]
        )
        return PostedMessage(PLATFORM, str(thread.id), str(thread.id), thread.jump_url)

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> PostedMessage:
        target = await self._channel(thread.channel)
        assert isinstance(target, discord.Thread)
        return await self._post(target, message)

    async def close_thread(self, thread: PostedMessage) -> None:
        target = await self._channel(thread.channel)
        assert isinstance(target, discord.Thread)
        # Archived and locked: it leaves the channel's active threads and takes no replies.
        await target.edit(archived=True, locked=True)

    async def _channel(self, channel_id: str) -> object:
        found = self.client.get_channel(int(channel_id))
        return found if found is not None else await self.client.fetch_channel(int(channel_id))

    async def _post(
        self, target: discord.abc.Messageable, message: Message, key: str | None = None
    ) -> PostedMessage:
        """Every part of the message, in order; the reference is to the first."""
        first: discord.Message | None = None
        for index, part in enumerate(render(message, self.language)):
            async with self.pace():
                if key is None:
                    sent = await target.send(**part.send_kwargs())
                else:
                    sent = await target.send(**part.send_kwargs(), nonce=nonce_for(key, index))
            first = first or sent
        assert first is not None
        return PostedMessage(PLATFORM, str(first.channel.id), str(first.id))

    async def _post_in_forum(self, forum: discord.ForumChannel, message: Message) -> PostedMessage:
        """A new post named after the message's heading; the rest of a long message in it.

        A forum channel takes no plain messages (Discord answers 50008), only posts;
        the post is tagged with the forum's tags for the message's topics (see tags_for).
        """
        parts = render(message, self.language)
        async with self.pace():
            created = await forum.create_thread(
                name=_post_name(message),
                applied_tags=tags_for(forum, message.topics),
                **parts[0].send_kwargs(),
            )
        for part in parts[1:]:
            async with self.pace():
                await created.thread.send(**part.send_kwargs())
        return PostedMessage(PLATFORM, str(created.thread.id), str(created.message.id))

    def _channels(self, name: str) -> list[Postable]:
        wanted = name.lower().removeprefix("#")
        guilds = (
            [g for i in self.guild_ids if (g := self.client.get_guild(i)) is not None]
            if self.guild_ids
            else list(self.client.guilds)
        )
        found: list[Postable] = []
        for guild in guilds:
            found.extend(c for c in guild.text_channels if c.name.lower() == wanted)
            found.extend(c for c in guild.forums if c.name.lower() == wanted)
        return found


def nonce_for(key: str, part: int) -> str:
    """A delivery's part as a Discord nonce: 20 characters, the same on every instance."""
    digest = hashlib.blake2b(f"{key}#{part}".encode(), digest_size=15).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def _post_name(message: Message) -> str:
    """A forum post's title: the message's first line (its heading, when it has one)."""
    first_line = message.fallback_text().partition("\n")[0].strip()
    return first_line[:THREAD_NAME_MAX] or "…"
