"""Posting what the core sends unprompted, on every connected platform.

Notices are delivered only after the transaction that produced them
committed, so nobody is told of a change that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.clock import Clock
from bot.config import Config
from bot.identity import Identity
from bot.messages import Destination, Message, Notice, Replacing, ToChannel, ToMember
from bot.platforms import (
    ChannelChecker,
    ChannelProblem,
    Editor,
    GroupMessenger,
    IdempotentPoster,
    Poster,
    Threader,
)
from bot.ports import UnitOfWorkFactory
from bot.posted import PostedMessage

log = logging.getLogger(__name__)
P = TypeVar("P")


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
        With a `key` (a delivery's `DeliveryKey.token`), a platform that can tell a
        repeated post posts it at most once (IdempotentPoster); `recheck` (a claim
        taken over, or retried, after it may have been posted) looks for it first.
        Other platforms just post.
        """
        poster = self._posters[platform]
        # Typed as object: posting once is an optional ability, as editing is.
        once: object = poster
        keyed = once if isinstance(once, IdempotentPoster) else None
        posted: list[PostedMessage | None] = []
        match to:
            case ToChannel(channel=channel):
                if keyed is None or key is None:
                    posted.append(await poster.post_to_channel(channel, message))
                else:
                    posted.append(
                        await keyed.post_to_channel_once(channel, message, key=key, recheck=recheck)
                    )
            case ToMember(identities=identities):
                for identity in identities:
                    if identity.platform != platform:
                        continue
                    if keyed is None or key is None:
                        posted.append(await poster.post_to_user(identity, message))
                    else:
                        posted.append(
                            await keyed.post_to_user_once(
                                identity, message, key=key, recheck=recheck
                            )
                        )
        return [p for p in posted if p is not None]

    def can_group(self, platform: str) -> bool:
        """Whether that platform can write to several people in one private conversation."""
        messenger: object = self._posters.get(platform)
        return isinstance(messenger, GroupMessenger)

    async def send_to_group(
        self,
        platform: str,
        identities: Sequence[Identity],
        message: Message,
        *,
        key: str | None = None,
        recheck: bool = False,
    ) -> PostedMessage | None:
        """One private conversation with these accounts (all on `platform`), raising if
        it fails; check `can_group` first. `key` and `recheck` as for `send`."""
        messenger: object = self._posters[platform]
        assert isinstance(messenger, GroupMessenger)
        return await messenger.post_to_group(identities, message, key=key, recheck=recheck)

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

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> PostedMessage | None:
        """Write in a thread, raising if it fails; where threads are unknown, in its channel.
        Where the message went, if the platform says."""
        poster = self._posters[thread.platform]
        if isinstance(poster, Threader):
            return await poster.post_in_thread(thread, message)
        return await poster.post_to_channel(thread.channel, message)

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
    """What work outside a command may use: follow-ups after a commit, jobs, parts."""

    unit_of_work: UnitOfWorkFactory
    broadcaster: Broadcaster
    clock: Clock
    config: Config
    # The name this process claims scheduled work under (reminders, digests).
    instance: str = "this-instance"
    # The capabilities' parts that live as long as the process (bot/capability.py).
    parts: dict[type, object] = field(default_factory=dict)

    def add(self, part: object) -> None:
        self.parts[type(part)] = part

    def get(self, kind: type[P]) -> P:
        """The part of this type; KeyError if no capability made one."""
        part = self.parts[kind]
        assert isinstance(part, kind)
        return part


async def _attempt(poster: Poster, posting: Awaitable[object]) -> int:
    try:
        await posting
    except Exception:
        log.exception("could not post a notice on %s", poster.platform)
        return 1
    return 0
