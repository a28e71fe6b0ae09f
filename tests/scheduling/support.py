"""Shared by the meeting and reminder tests: a poster that keeps refs, and a set-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Config
from bot.identity import Identity
from bot.meetings.reminders import ReminderService
from bot.messages import Button, Message
from bot.ports import PostedMessage
from tests.harness import Harness


@dataclass
class Post:
    where: str  # "#channel" or "@user"
    message: Message
    ref: PostedMessage
    edits: list[Message] = field(default_factory=list)

    @property
    def text(self) -> str:
        shown = self.edits[-1] if self.edits else self.message
        return shown.fallback_text().replace("\u202f", " ")  # Babel's narrow space in "9:00 AM"

    def button(self, label: str) -> Button:
        return next(b for b in self.message.buttons if b.label == label)


@dataclass
class RefPoster:
    """Posts into a list, returns where each went, can edit, and can be told to fail."""

    platform: str = "console"
    posts: list[Post] = field(default_factory=list)
    failures: int = 0  # the next this many posts raise, as a platform error would
    # (key, recheck) of each keyed post asked for (IdempotentPoster), failed ones included.
    keys: list[tuple[str, bool]] = field(default_factory=list)
    refuse: dict[str, Exception] = field(default_factory=dict)  # user id -> raised for DMs
    refused: list[str] = field(default_factory=list)  # DMs refused, by user id

    def _fail(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("platform unavailable")

    def _record(self, where: str, message: Message) -> PostedMessage:
        ref = PostedMessage(self.platform, where, str(len(self.posts) + 1))
        self.posts.append(Post(where, message, ref))
        return ref

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        self._fail()
        return self._record(f"#{channel}", message)

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        if (error := self.refuse.get(identity.user_id)) is not None:
            self.refused.append(identity.user_id)
            raise error
        self._fail()
        return self._record(f"@{identity.user_id}", message)

    async def post_to_channel_once(
        self, channel: str, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage:
        self.keys.append((key, recheck))
        return await self.post_to_channel(channel, message)

    async def post_to_user_once(
        self, identity: Identity, message: Message, *, key: str, recheck: bool = False
    ) -> PostedMessage:
        self.keys.append((key, recheck))
        return await self.post_to_user(identity, message)

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        next(p for p in self.posts if p.ref == posted).edits.append(message)

    def to(self, where: str) -> list[Post]:
        return [p for p in self.posts if p.where == where]


def with_ref_poster(harness: Harness, platform: str = "console") -> RefPoster:
    poster = RefPoster(platform)
    harness.dispatcher.broadcaster.disconnect(platform)
    harness.dispatcher.broadcaster.connect(poster)
    return poster


def reminder_service(
    harness: Harness, owner: str = "test", config: Config | None = None
) -> ReminderService:
    return ReminderService(
        harness.storage.unit_of_work,
        harness.dispatcher.broadcaster,
        harness.clock,
        config or harness.config,
        owner=owner,
    )
