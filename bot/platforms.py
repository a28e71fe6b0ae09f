"""What the core needs of a connected platform, as protocols each adapter implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.identity import Identity
from bot.messages import Message
from bot.posted import PostedMessage


class Undeliverable(Exception):
    """The platform will never deliver to this person as things are: they closed their
    direct messages, blocked the bot, or their account is gone. Trying again is useless."""


class Poster(Protocol):
    """One connected platform's way of posting what the core sends unprompted.

    Posting raises when the platform refused or failed, so callers that must
    not lose a message (reminders, review posts) can retry; `post_to_user` raises
    `Undeliverable` when retrying cannot help.
    """

    platform: str

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage | None: ...

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage | None: ...


@runtime_checkable
class IdempotentPoster(Protocol):
    """A Poster that can make a post at most once per key, where its platform allows.

    `key` names one delivery (`DeliveryKey.token`): the same key is the same post.
    Every keyed post carries it (a Discord nonce, Slack message metadata), so the
    platform can recognise a repeat. `recheck` says the post may already have been
    made by an instance that died before recording it: the poster then looks for it
    first (Slack's recent history) and returns what it found instead of posting.
    How far each platform can see is stated in docs/ARCHITECTURE.md.
    """

    async def post_to_channel_once(
        self, channel: str, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage | None: ...

    async def post_to_user_once(
        self, identity: Identity, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage | None: ...


@runtime_checkable
class GroupMessenger(Protocol):
    """A Poster that can write to several people in one private conversation (Slack's
    multi-person DM). Discord bots cannot make group DMs, so Discord has none.

    `key` and `recheck` are those of IdempotentPoster: the post carries the key, and
    with `recheck` the conversation's recent history is read for it first.
    """

    async def post_to_group(
        self,
        identities: Sequence[Identity],
        message: Message,
        *,
        key: str | None = None,
        recheck: bool = False,
    ) -> PostedMessage | None: ...


@runtime_checkable
class Editor(Protocol):
    """A Poster that can also replace a message it posted earlier."""

    async def edit(self, posted: PostedMessage, message: Message) -> None: ...


@dataclass(frozen=True, slots=True)
class ChannelProblem:
    """Why the bot cannot post in a channel on one platform."""

    platform: str
    # The platform's name for the missing permission; empty when there is no such
    # channel that the bot can see.
    permission: str = ""


@runtime_checkable
class ChannelChecker(Protocol):
    """A Poster that can tell, before anything is saved, whether it can post in a channel."""

    async def channel_problem(self, channel: str) -> ChannelProblem | None: ...


@runtime_checkable
class Threader(Protocol):
    """A Poster that can hang a thread under a message it posted, write in it, and close it.

    `open_thread` returns where the thread's replies arrive, as the platform's
    message events will name it: on Slack the message itself (replies carry its
    ts as thread_ts); on Discord the thread channel started from the message, or
    the forum post the message opened. Its `url` links to the thread when the
    platform has links.
    """

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage: ...

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> PostedMessage | None:
        """Write in the thread; where the message went (to edit it later), if known."""
        ...

    async def close_thread(self, thread: PostedMessage) -> None: ...


Posters = Sequence[Poster]
