"""Posting what the core sends unprompted, on every connected platform.

Notices are delivered only after the transaction that produced them
committed, so nobody is told of a change that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Config
from bot.discussions.ingest import ReplyIngest
from bot.messages import Destination, Message, Notice, Replacing, ToChannel, ToMember
from bot.ports import (
    ChannelChecker,
    ChannelProblem,
    Editor,
    PostedMessage,
    Poster,
    Threader,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)


class Broadcaster:
    def __init__(self) -> None:
        self._posters: dict[str, Poster] = {}

    def connect(self, poster: Poster) -> None:
        self._posters[poster.platform] = poster

    def disconnect(self, platform: str) -> None:
        self._posters.pop(platform, None)

    @property
    def platforms(self) -> list[str]:
        return list(self._posters)

    async def send(
        self,
        platform: str,
        to: Destination,
        message: Message,
        *,
        key: str | None = None,
        recheck: bool = False,
    ) -> list[PostedMessage]:
        """Post on one platform, raising if it fails: for callers that retry and record.

        A member with several accounts on that platform gets a message on each.
        `key` names the delivery and `recheck` asks to look for an earlier post of it
        first (for idempotent posting; not used yet on this branch).
        """
        poster = self._posters[platform]
        posted: list[PostedMessage | None] = []
        match to:
            case ToChannel(channel=channel):
                posted.append(await poster.post_to_channel(channel, message))
            case ToMember(identities=identities):
                for identity in identities:
                    if identity.platform == platform:
                        posted.append(await poster.post_to_user(identity, message))
        return [p for p in posted if p is not None]

    async def edit(self, posted: PostedMessage, message: Message) -> bool:
        """Replace a posted message; False if that platform is gone or cannot edit."""
        # Typed as object: editing is an optional ability a Poster may or may not have.
        editor: object = self._posters.get(posted.platform)
        if not isinstance(editor, Editor):
            return False
        await editor.edit(posted, message)
        return True

    async def channel_problems(self, channel: str) -> list[ChannelProblem]:
        """What keeps the bot from posting in `channel`, on each platform that can tell."""
        found: list[ChannelProblem] = []
        for poster in list(self._posters.values()):
            checker: object = poster
            if isinstance(checker, ChannelChecker):
                problem = await checker.channel_problem(channel)
                if problem is not None:
                    found.append(problem)
        return found

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage:
        """The thread under a posted message; the message itself where there are no threads."""
        threader: object = self._posters.get(posted.platform)
        if not isinstance(threader, Threader):
            return posted
        return await threader.open_thread(posted, title)

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> None:
        """Write in a thread, raising if it fails; where threads are unknown, in its channel."""
        poster = self._posters[thread.platform]
        if isinstance(poster, Threader):
            await poster.post_in_thread(thread, message)
        else:
            await poster.post_to_channel(thread.channel, message)

    async def close_thread(self, thread: PostedMessage) -> None:
        threader: object = self._posters.get(thread.platform)
        if isinstance(threader, Threader):
            await threader.close_thread(thread)

    async def deliver(self, notices: Iterable[Notice]) -> int:
        """Post each notice; returns how many posts failed (each is logged, none raised)."""
        failures = 0
        for notice in notices:
            match notice.to:
                case ToChannel(channel=channel):
                    for poster in list(self._posters.values()):
                        failures += await _attempt(
                            poster, poster.post_to_channel(channel, notice.message)
                        )
                case ToMember(identities=identities):
                    for identity in identities:
                        if member_poster := self._posters.get(identity.platform):
                            failures += await _attempt(
                                member_poster,
                                member_poster.post_to_user(identity, notice.message),
                            )
                case Replacing(posted=posted):
                    if editor := self._posters.get(posted.platform):
                        failures += await _attempt(editor, self.edit(posted, notice.message))
        return failures


@dataclass(frozen=True, slots=True)
class Services:
    """What work after the commit may use (see Reply.after_commit)."""

    unit_of_work: UnitOfWorkFactory
    broadcaster: Broadcaster
    clock: Clock
    config: Config
    # Thread reply events, buffered and written in batches (bot/discussions/ingest.py).
    replies: ReplyIngest


async def _attempt(poster: Poster, posting: Awaitable[object]) -> int:
    try:
        await posting
    except Exception:
        log.exception("could not post a notice on %s", poster.platform)
        return 1
    return 0
