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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.models.metadata import Metadata
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
# A keyed post carries its delivery's key in the message's metadata, under this type.
EVENT_TYPE = "coalition_delivery"
# How many of a channel's latest messages a recheck reads: Slack's most for apps outside
# its Marketplace since 2025 (conversations.history: 15 messages, one call a minute).
HISTORY_LIMIT = 15
# A channel's history, once read for a recheck, answers the rechecks that follow for
# this many seconds (a burst of taken-over claims reads it once, not once per delivery).
HISTORY_REUSE = 15.0


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

    def __init__(
        self, client: AsyncWebClient, *, interval: float = 1.0, history_reuse: float = HISTORY_REUSE
    ) -> None:
        self._client = client
        self._interval = interval
        self._channels: dict[str, str] = {}  # name -> id
        self._listed_at: float | None = None
        self._listing = asyncio.Lock()
        self._dms: dict[str, str] = {}  # user id -> DM channel id, for the process's life
        self._opening = asyncio.Lock()
        self._slots: dict[str, float] = {}  # channel id -> earliest next post
        self._locks: dict[str, asyncio.Lock] = {}
        self._history = _KeyedHistory(client, history_reuse)

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

    async def post_to_group(
        self,
        identities: Sequence[Identity],
        message: Message,
        *,
        key: str | None = None,
        recheck: bool = False,
    ) -> PostedMessage | None:
        """GroupMessenger: one multi-person DM with these people (conversations.open
        with their ids: Slack gives the same conversation back for the same people).
        Keyed as a DM is, so a retried introduction is found in the group's history."""
        users = ",".join(i.user_id for i in identities if i.platform == PLATFORM)
        async with self._opening:  # Tier 3, as the one-person DMs: one open at a time
            response = await self._client.conversations_open(users=users)
        channel_id = str(response["channel"]["id"])
        return _posted(channel_id, await self.post(channel_id, message, key=key, recheck=recheck))

    # -- the core's IdempotentPoster protocol -------------------------------------------

    async def post_to_channel_once(
        self, channel: str, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage | None:
        channel_id = await self.channel_id(channel)
        return _posted(channel_id, await self.post(channel_id, message, key=key, recheck=recheck))

    async def post_to_user_once(
        self, identity: Identity, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage | None:
        if identity.platform != PLATFORM:
            return None
        channel_id = await self.dm_channel(identity.user_id)
        return _posted(channel_id, await self.post(channel_id, message, key=key, recheck=recheck))

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

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> PostedMessage | None:
        first: str | None = None
        for rendered in render(message):
            response = await self._paced(thread.channel, partial(self._reply, thread, rendered))
            first = first or str(response.get("ts") or "") or None
        return _posted(thread.channel, first)

    async def _reply(self, thread: PostedMessage, rendered: SlackMessage) -> Any:
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

    async def post(
        self, channel_id: str, message: Message, *, key: str | None = None, recheck: bool = False
    ) -> str | None:
        """Post now (paced) and upload its attachments; the ts of the first message.

        With a `key`, each message carries it (and its part's number) in its metadata;
        with `recheck` too, the parts already in the channel's recent history are not
        posted again, and their ts is returned as if just posted.
        """
        parts = render(message)
        found = await self._history.parts(channel_id, key) if key and recheck else {}
        first: str | None = None
        for index, rendered in enumerate(parts):
            ts = found.get(index) or await self.send(channel_id, rendered, key=key, part=index)
            first = first or ts
        if len(found) < len(parts):  # a message found whole had its files uploaded with it
            for attachment in message.attachments:
                await self.upload(channel_id, attachment)
        return first

    async def send(
        self, channel_id: str, rendered: SlackMessage, *, key: str | None = None, part: int = 0
    ) -> str:
        metadata = (
            None
            if key is None
            else Metadata(event_type=EVENT_TYPE, event_payload={"key": key, "part": part})
        )
        try:
            response = await self._paced(
                channel_id,
                lambda: self._client.chat_postMessage(
                    channel=channel_id,
                    text=rendered.text,
                    blocks=rendered.blocks,
                    metadata=metadata,
                ),
            )
        except Exception:
            # Slack may have taken it even so: a later recheck must read the channel again.
            self._history.forget(channel_id)
            raise
        ts = str(response.get("ts") or "")
        if key is not None:
            self._history.add(channel_id, key, part, ts)
        return ts

    async def upload(self, channel_id: str, attachment: Attachment) -> None:
        await self._client.files_upload_v2(
            channel=channel_id,
            content=attachment.content,
            filename=attachment.filename,
            title=attachment.filename,
        )

    async def dm_channel(self, user_id: str) -> str:
        """The DM channel with a person, opened once per process.

        conversations.open is a Tier 3 method: about 50 calls a minute for the whole
        workspace. Opened one at a time, so a reminder to hundreds of people waits out
        each 429's Retry-After (the client's retry handler) in one request, instead of
        every DM at once retrying into more 429s until its retries run out.
        """
        if user_id not in self._dms:
            async with self._opening:
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


class _KeyedHistory:
    """Which keyed messages a channel's recent history holds, read for rechecks.

    A read is reused by the rechecks of the next `reuse` seconds (with this
    instance's own keyed posts since added), so a burst of taken-over claims in one
    channel costs one conversations.history call. A post that failed drops the read:
    Slack may have taken it, so the next recheck reads again.
    """

    def __init__(self, client: AsyncWebClient, reuse: float) -> None:
        self._client = client
        self._reuse = reuse
        self._reads: dict[str, tuple[float, dict[tuple[str, int], str]]] = {}

    async def parts(self, channel_id: str, key: str) -> dict[int, str]:
        """The parts of `key`'s message found in the channel: part number -> ts."""
        kept = self._fresh(channel_id)
        if kept is None:
            try:
                kept = (time.monotonic(), await self._read(channel_id))
            except SlackApiError as error:
                # Posting again risks a repeat; not posting risks a lost reminder. A
                # missing scope (channels:history, channels:join...) lands here.
                log.warning(
                    "could not read %s's history to look for %s (%s): posting it",
                    channel_id,
                    key,
                    error.response.get("error"),
                )
                return {}
            self._reads[channel_id] = kept
        return {part: ts for (found, part), ts in kept[1].items() if found == key}

    def add(self, channel_id: str, key: str, part: int, ts: str) -> None:
        if (kept := self._fresh(channel_id)) is not None:
            kept[1][(key, part)] = ts

    def forget(self, channel_id: str) -> None:
        self._reads.pop(channel_id, None)

    async def _history(self, channel_id: str) -> Any:
        return await self._client.conversations_history(
            channel=channel_id, limit=HISTORY_LIMIT, include_all_metadata=True
        )

    def _fresh(self, channel_id: str) -> tuple[float, dict[tuple[str, int], str]] | None:
        kept = self._reads.get(channel_id)
        if kept is not None and time.monotonic() - kept[0] >= self._reuse:
            del self._reads[channel_id]  # a stale read is never used again: drop it
            return None
        return kept

    async def _read(self, channel_id: str) -> dict[tuple[str, int], str]:
        try:
            response = await self._history(channel_id)
        except SlackApiError as error:
            if error.response.get("error") != "not_in_channel":
                raise
            # A bot reads only the history of channels it is in, while chat:write.public
            # posts in public ones without joining: join it (public channels only).
            await self._client.conversations_join(channel=channel_id)
            response = await self._history(channel_id)
        found: dict[tuple[str, int], str] = {}
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and isinstance(payload.get("key"), str):
                found[(payload["key"], int(payload.get("part") or 0))] = str(message["ts"])
        return found


def _posted(channel_id: str, ts: str | None) -> PostedMessage | None:
    return PostedMessage(PLATFORM, channel_id, ts) if ts else None
