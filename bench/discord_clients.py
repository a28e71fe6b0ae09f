"""The clients under test of bench/discord.py, each in a child process of its own.

"bare" is discord.py alone answering "ok"; "ours" is our runner and the core on a fresh
database; "card" and "ok" are ours with the core replaced by a canned answer. A child
prints READY once connected, then does what its parent writes on stdin, a line at a
time, printing DONE after each (bench/discord.py's docstring lists the lines).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands
from pydantic import SecretStr

from adapters.bootstrap import build_app, tune_gc
from adapters.discord.client import DiscordSettings, Dispatches
from adapters.discord.endpoints import apply_endpoints
from adapters.discord.runner import DiscordRunner
from bot.config import Config, Secrets
from bot.identity import Identity, Place
from bot.invocation import Click, CommandCall, ThreadMessage
from bot.messages import Reply, say, text
from storage import Storage
from storage.database import database_url
from tests.databases import postgres_storage

STUBBED = ("card", "ok")  # ours, with the core replaced by a canned answer
READY, DONE = "ready", "done"  # the child's lines on stdout
DATABASE = "BENCH_DATABASE"  # "postgresql" in a child's environment: ours on PostgreSQL

T = TypeVar("T")


class BareClient(discord.Client):
    """discord.py and nothing else: the same command shape, answered with "ok"."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        profile = app_commands.Group(name="profile", description="bench")

        @profile.command(name="view", description="bench")
        async def view(interaction: discord.Interaction[Any]) -> None:
            await interaction.response.send_message("ok")

        self.tree.add_command(profile, guild=discord.Object(guild_id))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(self.guild_id))


class CannedCore:
    """The adapter alone: every command answered at once with one reply the core gave."""

    def __init__(self, core: Dispatches, reply: Reply) -> None:
        self.core = core
        self.catalogue = core.catalogue
        self.reply = reply

    async def event(self, event: ThreadMessage) -> bool:  # replies in threads still counted
        return await self.core.event(event)

    async def run(self, call: CommandCall) -> Reply:
        return self.reply

    async def click(self, click: Click) -> Reply:
        return self.reply


Stub = Callable[[int, int], Awaitable[None]]  # (member, channel): replace the core


async def serve(name: str, guild_id: int) -> None:
    """Connect one client, print READY, and do what the parent asks until it closes stdin."""
    apply_endpoints(os.environ)  # DISCORD_API_URL, DISCORD_GATEWAY_URL: the fake
    token = Secrets.from_env(os.environ).discord_token
    if token is None:
        raise SystemExit("DISCORD_TOKEN is not set")
    connect = bare if name == "bare" else ours
    profiler: Any = None
    async with connect(name, token, guild_id) as stub:
        print(READY, flush=True)
        async for command in _commands():
            match command:
                case ["gc"]:
                    gc.collect()
                case ["stub", member, channel] if stub is not None:
                    await stub(int(member), int(channel))
                case ["profile"]:
                    from pyinstrument import Profiler  # optional: pip install pyinstrument

                    profiler = Profiler(async_mode="disabled")  # CPU of every task
                    profiler.start()
                case ["report"] if profiler is not None:
                    profiler.stop()
                    print(profiler.output_text(unicode=True, color=False, show_all=False))
                    profiler = None
                case _:
                    raise ValueError(f"the {name} client cannot do {command}")
            print(DONE, flush=True)


async def _commands() -> AsyncIterator[list[str]]:
    """The parent's lines on stdin, split in words, until it closes it."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        yield line.decode().split()


@asynccontextmanager
async def bare(name: str, token: SecretStr, guild_id: int) -> AsyncIterator[Stub | None]:
    client = BareClient(guild_id)
    async with client:
        await client.login(token.get_secret_value())  # setup_hook: the commands synced
        task = asyncio.create_task(client.connect())
        await _ready(task, client.wait_until_ready())
        try:
            yield None
        finally:
            await client.close()
            await task


@asynccontextmanager
async def ours(name: str, token: SecretStr, guild_id: int) -> AsyncIterator[Stub | None]:
    """Our runner; for "card" and "ok", a stub that replaces the core by that canned answer."""
    async with _database() as storage:
        app = build_app(Config(), Secrets(discord_token=token), storage=storage)
        await app.start()  # the schema, and the timed work, as `coalition-bot run` has them
        try:
            settings = DiscordSettings(guild_ids=(guild_id,))
            runner = DiscordRunner(token, settings, guild_ready_timeout=0.05)
            task = asyncio.create_task(runner.run(app))
            try:
                client = await _ready(task, runner.wait_ready())
                tune_gc()  # as `coalition-bot run` does

                async def stub(member: int, channel: int) -> None:
                    who = Identity("discord", str(guild_id), str(member))
                    place = Place("discord", str(guild_id), str(channel))
                    call = CommandCall(who, place, ("profile", "view"))
                    card = await app.dispatcher.run(call)
                    assert card.message is not None and card.message.blocks, "not a member"
                    ok = Reply(message=say(text("ok")), private=False)
                    canned = card if name == "card" else ok
                    client.dispatcher = CannedCore(app.dispatcher, canned)

                yield stub if name in STUBBED else None
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        finally:
            await app.close()


@asynccontextmanager
async def _database() -> AsyncIterator[Storage]:
    """A fresh SQLite file, or with --postgres a fresh schema on the tests' PostgreSQL."""
    if os.environ.get(DATABASE) == "postgresql":
        async with postgres_storage() as storage:  # dropped afterwards
            yield storage
        return
    with tempfile.TemporaryDirectory() as directory:
        yield Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))


async def _ready(task: asyncio.Task[None], ready: Awaitable[T]) -> T:
    """What `ready` gives, unless the client's task ends first: then why it ended."""
    waiting = asyncio.ensure_future(ready)
    await asyncio.wait((task, waiting), return_when=asyncio.FIRST_COMPLETED)
    if waiting.done():
        return waiting.result()
    waiting.cancel()
    task.result()  # its exception, if it has one
    raise RuntimeError("the client stopped before it was ready")
