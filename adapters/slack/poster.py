"""Posting what the core sends unprompted (join requests, welcomes), paced per channel.

Slack allows about one message per second in a channel and answers bursts
with HTTP 429. Posts to one channel take turns (first come, first served) at
most one per `interval`, so a burst is delayed, never dropped; a 429 that
still happens is waited out by the client's rate-limit retry handler. As the
core's Poster protocol asks, a post that Slack refused raises, and a posted
message can be edited later (Editor).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import PLATFORM, SlackMessage, render, render_one
from bot.identity import Identity
from bot.messages import Attachment, Message
from bot.ports import ChannelProblem, PostedMessage, Undeliverable

T = TypeVar("T")
log = logging.getLogger(__name__)

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]+$")
# conversations.list is a Tier 2 method (about 20 calls a minute): list at most once a minute.
_RELIST_AFTER = 60.0


# What conversations.open and chat.postMessage answer when a person cannot be written
# to at all (their account is gone or deactivated, hidden from the bot, or a bot).
NO_DMS = frozenset({"user_not_found", "user_disabled", "user_not_visible", "cannot_dm_bot"})


class ChannelNotFound(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"Slack has no channel #{name} that the bot can see. Create it, or set another "
            f"name under [channels] in config.toml; if it is private, type /invite @ and the "
            f"bot's name in that channel."
        )


class SlackPoster:
    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, *, interval: float = 1.0) -> None:
        self._client = client
        self._interval = interval
        self._channels: dict[str, str] = {}  # name -> id
        self._listed_at: float | None = None
        self._listing = asyncio.Lock()
        self._dms: dict[str, str] = {}  # user id -> DM channel id
        self._slots: dict[str, float] = {}  # channel id -> earliest next post
        self._locks: dict[str, asyncio.Lock] = {}

    # -- the core's Poster and Editor protocols ------------------------------------------

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage | None:
        channel_id = await self.channel_id(channel)
        return _posted(channel_id, await self.post(channel_id, message))

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage | None:
        if identity.platform != PLATFORM:
            return None
        try:
            channel_id = await self.dm_channel(identity.user_id)
            return _posted(channel_id, await self.post(channel_id, message))
        except SlackApiError as error:
            if error.response.get("error") in NO_DMS:
                raise Undeliverable(f"Slack user {identity.user_id}: {error}") from error
            raise

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        rendered = render_one(message)
        await self._client.chat_update(
            channel=posted.channel, ts=posted.message_id, text=rendered.text, blocks=rendered.blocks
        )

    async def channel_problem(self, channel: str) -> ChannelProblem | None:
        """ChannelChecker: a channel the bot cannot see (private ones need an invite)."""
        try:
            await self.channel_id(channel)
        except ChannelNotFound:
            return ChannelProblem(PLATFORM)
        return None

    # -- the core's Threader protocol: a thread is the replies under a message ------------

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage:
        # Nothing to create: replies under the message carry its ts as thread_ts.
        # The permalink (no scope needed) lets lists link to the thread.
        try:
            response = await self._client.chat_getPermalink(
                channel=posted.channel, message_ts=posted.message_id
            )
        except SlackApiError:
            # The thread works without its link; the list then shows the title alone.
            log.warning("no permalink for %s in %s", posted.message_id, posted.channel)
            return posted
        return replace(posted, url=str(response.get("permalink") or ""))

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> None:
        for rendered in render(message):
            await self._paced(thread.channel, partial(self._reply, thread, rendered))

    async def _reply(self, thread: PostedMessage, rendered: SlackMessage) -> object:
        return await self._client.chat_postMessage(
            channel=thread.channel,
            thread_ts=thread.message_id,
            text=rendered.text,
            blocks=rendered.blocks,
        )

    async def close_thread(self, thread: PostedMessage) -> None:
        # Slack cannot lock a thread: the closing note posted in it marks it closed,
        # and the core stops counting its replies.
        return None

    # -- for the rest of the adapter ----------------------------------------------------

    async def post(self, channel_id: str, message: Message) -> str | None:
        """Post now (paced) and upload its attachments; the ts of the first message."""
        first: str | None = None
        for rendered in render(message):
            ts = await self.send(channel_id, rendered)
            first = first or ts
        for attachment in message.attachments:
            await self.upload(channel_id, attachment)
        return first

    async def send(self, channel_id: str, rendered: SlackMessage) -> str:
        response = await self._paced(
            channel_id,
            lambda: self._client.chat_postMessage(
                channel=channel_id, text=rendered.text, blocks=rendered.blocks
            ),
        )
        return str(response.get("ts") or "")

    async def upload(self, channel_id: str, attachment: Attachment) -> None:
        await self._client.files_upload_v2(
            channel=channel_id,
            content=attachment.content,
            filename=attachment.filename,
            title=attachment.filename,
        )

    async def dm_channel(self, user_id: str) -> str:
        if user_id not in self._dms:
            response = await self._client.conversations_open(users=user_id)
            self._dms[user_id] = str(response["channel"]["id"])
        return self._dms[user_id]

    async def channel_id(self, name: str) -> str:
        if _CHANNEL_ID.match(name):  # Slack names are lower case, so ids are unambiguous
            return name
        name = name.removeprefix("#")
        if name not in self._channels:
            # One listing at a time: posts to other channels waiting here use its result.
            async with self._listing:
                if name not in self._channels and self._may_relist():
                    await self._list_channels()
        if name not in self._channels:
            raise ChannelNotFound(name)
        return self._channels[name]

    # -- internals ---------------------------------------------------------------------

    def _may_relist(self) -> bool:
        return self._listed_at is None or time.monotonic() - self._listed_at > _RELIST_AFTER

    async def _list_channels(self) -> None:
        self._listed_at = time.monotonic()
        cursor: str | None = None
        while True:
            response = await self._client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for channel in response.get("channels") or []:
                self._channels[str(channel["name"])] = str(channel["id"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return

    async def _paced(self, channel_id: str, send: Callable[[], Awaitable[T]]) -> T:
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            delay = self._slots.get(channel_id, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                return await send()
            finally:
                # Counted from the answer, so even a slow request keeps the spacing at Slack.
                self._slots[channel_id] = time.monotonic() + self._interval


def _posted(channel_id: str, ts: str | None) -> PostedMessage | None:
    return PostedMessage(PLATFORM, channel_id, ts) if ts else None
