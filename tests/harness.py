"""Drive the core as an adapter would, with a manual clock and a recording poster."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.clock import ManualClock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.identity import Identity, Place
from bot.invocation import ActorHints, Click, CommandCall
from bot.messages import Button, Message, Reply
from bot.registry import build_catalogue, listeners, parts
from storage import Storage

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PLATFORM = "console"
WORKSPACE = "local"


@dataclass
class Posted:
    where: str  # "#channel" or "@user"
    message: Message

    @property
    def text(self) -> str:
        return self.message.fallback_text()


@dataclass
class RecordingPoster:
    platform: str = PLATFORM
    posts: list[Posted] = field(default_factory=list)

    async def post_to_channel(self, channel: str, message: Message) -> None:
        self.posts.append(Posted(f"#{channel}", message))

    async def post_to_user(self, identity: Identity, message: Message) -> None:
        self.posts.append(Posted(f"@{identity.user_id}", message))

    def to(self, where: str) -> list[Posted]:
        return [p for p in self.posts if p.where == where]


def text_of(reply: Reply) -> str:
    parts = [m.fallback_text() for m in (reply.message, reply.update_original) if m is not None]
    return "\n".join(parts)


class Harness:
    def __init__(self, storage: Storage, config: Config | None = None) -> None:
        self.storage = storage
        self.config = config or Config()
        self.clock = ManualClock(START)
        self.poster = RecordingPoster()
        broadcaster = Broadcaster()
        broadcaster.connect(self.poster)
        self.dispatcher = Dispatcher(
            build_catalogue(),
            storage.unit_of_work,
            self.clock,
            self.config,
            broadcaster,
            parts=parts(),
            listeners=listeners(),
        )

    @staticmethod
    def who(user: str) -> Identity:
        return Identity(PLATFORM, WORKSPACE, user)

    async def say(self, user: str, text: str, *, hints: ActorHints | None = None) -> Reply:
        """`user` types "/coalition <text>" in #general."""
        place = Place(PLATFORM, WORKSPACE, "general")
        return await self.dispatcher.run_text(self.who(user), place, text, hints or ActorHints())

    async def run(
        self, user: str, path: tuple[str, ...], *, from_form: bool = False, **args: Any
    ) -> Reply:
        """A command with typed options; `from_form`: the answers of a form the bot showed."""
        place = Place(PLATFORM, WORKSPACE, "general")
        call = CommandCall(self.who(user), place, path, args, from_form=from_form)
        return await self.dispatcher.run(call)

    async def click(self, user: str, button: Button) -> Reply:
        place = Place(PLATFORM, WORKSPACE, "general")
        return await self.dispatcher.click(
            Click(self.who(user), place, button.action, button.target)
        )

    async def storage_count(self, table: str) -> int:
        from sqlalchemy import text

        async with self.storage.engine.connect() as connection:
            return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)

    async def join(self, user: str, name: str, **extra: str) -> Reply:
        fields = {
            "name": name,
            "organization": f"{name} Health Department",
            "discipline": "Epidemiology",
            "region": "West",
            **extra,
        }
        line = " ".join(f'{k}="{v}"' for k, v in fields.items())
        return await self.say(user, f"join {line}")
