"""Slash commands through the fake Discord gateway: our adapter beside a bare discord.py client.

Both clients are the real discord.py, connected over loopback to the fake Discord
of the tests (zlib-stream gateway, REST), one after the other in the same run. The
bare client's handler only answers "ok"; ours runs `/coalition profile view`
through the dispatcher on a fresh SQLite database and renders the profile card.
Latency is from the fake sending INTERACTION_CREATE to the interaction callback
arriving back at it; throughput is interactions answered per second.

Two more runs replace the core with a canned answer, to say where the time goes:
"card" answers with the same profile card (the adapter's rendering, and a bigger
message for discord.py and the fake to carry); "ok" answers "ok" like the bare
client (the adapter's own cost: invocation, deferral timer, escaping, mentions).

Our client asks for the guild messages intent, to count the replies in discussion
threads, so every public answer comes back to it as a MESSAGE_CREATE, as Discord
does: the fake copies, encodes and compresses it, and discord.py decodes it (our
client drops bots' messages before discord.py builds a Message of them). The bare
client, with the guilds intent only, is sent none. That echo is most of the gap
between "ok" and "bare": it is the price of counting replies, not of the
per-interaction path.

The fake runs in the same process and event loop as the client under test, so
its own work (compressing the gateway, serving REST) is in both figures alike,
but for that echo. Each level starts with the fake's history dropped and a full
garbage collection, so that no client pays for the heap another one left.

    python -m bench discord [--count 300] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route
from pydantic import SecretStr

from adapters.bootstrap import build_app
from adapters.discord.client import DiscordSettings
from adapters.discord.endpoints import apply_endpoints
from adapters.discord.runner import DiscordRunner
from bench.stats import percentile
from bot.config import Config, Secrets
from bot.identity import Identity, Place
from bot.invocation import Click, CommandCall
from bot.messages import Reply, say, text
from storage import Storage
from storage.database import database_url
from tests.fakes.discord import FakeDiscord

LEVELS = (1, 20)
USERS = 20
WARM_UP = 40
PROFILED = "ours"  # which run --profile looks into


@dataclass
class Figures:
    latencies_ms: list[float]
    seconds: float
    cpu_seconds: float  # of the whole process: the client under test and the fake

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds

    @property
    def cpu_ms(self) -> float:
        """CPU per interaction: less swayed than throughput by other work on the machine."""
        return self.cpu_seconds * 1000 / len(self.latencies_ms)


class BareClient(discord.Client):
    """discord.py and nothing else: the same command shape, answered with "ok"."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        root = app_commands.Group(name="coalition", description="bench")
        profile = app_commands.Group(name="profile", description="bench", parent=root)

        @profile.command(name="view", description="bench")
        async def view(interaction: discord.Interaction[Any]) -> None:
            await interaction.response.send_message("ok")

        self.tree.add_command(root, guild=discord.Object(guild_id))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(self.guild_id))


async def measure(fake: FakeDiscord, in_flight: int, count: int) -> Figures:
    """`count` interactions, `in_flight` at a time, from USERS different members."""
    latencies: list[float] = []
    users = [f"bench{n:02d}" for n in range(USERS)]
    # Each level starts from the same heap: what earlier levels left in the fake is
    # dropped and collected, so no client pays for another's garbage.
    fake.forget_history()
    gc.collect()

    async def worker(index: int) -> None:
        for n in range(index, count, in_flight):
            payload = fake.slash_command("coalition", "profile view", user=users[n % USERS])
            response = await fake.interact(payload, timeout=30)
            if not response.accepted or response.type != 4:
                raise RuntimeError(f"interaction not answered in time: {response}")
            latencies.append(response.elapsed * 1000)

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(i) for i in range(in_flight)))
    return Figures(latencies, time.perf_counter() - started, time.process_time() - cpu_started)


@asynccontextmanager
async def bare(fake: FakeDiscord) -> AsyncIterator[None]:
    client = BareClient(fake.guild.id)
    async with client:
        await client.login(fake.token)
        task = asyncio.create_task(client.connect())
        await client.wait_until_ready()
        try:
            yield
        finally:
            await client.close()
            await task


class CannedCore:
    """The adapter alone: every command answered at once with one reply the core gave."""

    def __init__(self, catalogue: Any, reply: Reply) -> None:
        self.catalogue = catalogue
        self.reply = reply

    async def run(self, call: CommandCall) -> Reply:
        return self.reply

    async def click(self, click: Click) -> Reply:
        return self.reply


@asynccontextmanager
async def ours(
    fake: FakeDiscord, storage: Storage, *, stub: str | None = None
) -> AsyncIterator[None]:
    """Our runner; with `stub` "card" or "ok" the core is replaced by that canned answer."""
    app = build_app(Config(), Secrets(discord_token=SecretStr(fake.token)), storage=storage)
    runner = DiscordRunner(
        SecretStr(fake.token),
        DiscordSettings(guild_ids=(fake.guild.id,)),
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(runner.run(app))
    await runner.wait_ready()
    try:
        for n in range(USERS):  # every bench user a member, so "profile view" shows a card
            options = {
                "name": f"Bench Member {n}",
                "organization": "Bench County Health",
                "discipline": "Epidemiology",
                "region": "West",
            }
            await fake.interact(
                fake.slash_command("coalition", "join", options, user=f"bench{n:02d}")
            )
        if stub is not None:
            client = runner.client
            assert client is not None
            member = fake.member("bench00").id
            who = Identity("discord", str(fake.guild.id), str(member))
            place = Place("discord", str(fake.guild.id), str(fake.channel("general").id))
            card = await app.dispatcher.run(CommandCall(who, place, ("profile", "view")))
            assert card.message is not None and card.message.blocks
            ok = Reply(message=say(text("ok")), private=False)
            canned = card if stub == "card" else ok
            client.dispatcher = CannedCore(app.dispatcher.catalogue, canned)
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def run(count: int, rounds: int, profile: bool) -> None:
    fake = FakeDiscord()
    existing = {c.name for c in fake.guild.channels}
    for channel in Config().channels.model_dump().values():  # as a coalition would have
        if channel not in existing:
            fake.guild.add_text_channel(channel)
    for n in range(USERS):
        fake.guild.add_member(f"bench{n:02d}")
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    runs: dict[str, dict[int, list[Figures]]] = {}
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))
        await storage.upgrade()
        try:
            async with fake:
                # The same redirection a coordinator would use: the environment.
                os.environ["DISCORD_API_URL"], os.environ["DISCORD_GATEWAY_URL"] = (
                    fake.api_base,
                    fake.gateway_url,
                )
                apply_endpoints(os.environ)
                # Rounds in turn, so that a change in the machine's load between runs
                # does not favour whichever client happened to go first.
                for round_ in range(rounds):
                    for name, connect in (
                        ("bare", lambda: bare(fake)),
                        ("ours", lambda: ours(fake, storage)),
                        ("card", lambda: ours(fake, storage, stub="card")),
                        ("ok", lambda: ours(fake, storage, stub="ok")),
                    ):
                        profiled = profile and name == PROFILED and round_ == 0
                        measured = await levels(fake, connect, count, profiled)
                        for level, figures in measured.items():
                            runs.setdefault(name, {}).setdefault(level, []).append(figures)
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
            await storage.dispose()
    print(
        f"discord benchmark: /coalition profile view, {count} interactions per level, "
        f"{rounds} rounds (latency over all rounds, throughput the median round)"
    )
    print("  bare: discord.py alone, answering 'ok'")
    print("  ours: the adapter and the core (SQLite), answering with the profile card")
    print("  card: the adapter alone (core replaced by the canned card): rendering and size")
    print("  ok:   the adapter alone answering 'ok', as bare does: the adapter's own cost")
    print(
        "  ours, card and ok ask for the guild messages intent (to count replies in\n"
        "  discussion threads), so each public answer comes back to them as a MESSAGE_CREATE\n"
        "  that the fake sends and discord.py parses; bare (guilds intent only) gets none."
    )
    print(
        "  rounds: the slowest and fastest round's throughput; cpu: the process's CPU per\n"
        "  interaction (client and fake), median round"
    )
    for level in LEVELS:
        print(f"{level} in flight")
        for name in ("bare", "ours", "card", "ok"):
            print(_line(name, runs[name][level]))
        bare_rate = _median_rate(runs["bare"][level])
        for name in ("ours", "card", "ok"):
            ratio = _median_rate(runs[name][level]) / bare_rate
            print(f"  throughput {name}/bare: {ratio:.2f}")


def _median_rate(figures: list[Figures]) -> float:
    return statistics.median(f.throughput for f in figures)


def _line(name: str, figures: list[Figures]) -> str:
    latencies = [ms for f in figures for ms in f.latencies_ms]
    rates = [f.throughput for f in figures]
    return (
        f"  {name:<5} p50 {percentile(latencies, 0.5):6.2f} ms   "
        f"p99 {percentile(latencies, 0.99):6.2f} ms   "
        f"{_median_rate(figures):7.0f} interactions/s "
        f"(rounds {min(rates):.0f}-{max(rates):.0f})   "
        f"cpu {statistics.median(f.cpu_ms for f in figures):5.2f} ms"
    )


async def levels(
    fake: FakeDiscord,
    connect: Callable[[], Any],
    count: int,
    profile: bool,
) -> dict[int, Figures]:
    figures: dict[int, Figures] = {}
    async with connect():
        await measure(fake, 4, WARM_UP)
        for level in LEVELS:
            figures[level] = await _maybe_profiled(profile, partial(measure, fake, level, count))
    return figures


async def _maybe_profiled(profile: bool, work: Callable[[], Awaitable[Figures]]) -> Figures:
    if not profile:
        return await work()
    from pyinstrument import Profiler  # optional: pip install pyinstrument

    profiler = Profiler(async_mode="disabled")  # CPU of every task
    with profiler:
        result = await work()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench discord")
    parser.add_argument("--count", type=int, default=300, help="interactions per level")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each client, in turn")
    parser.add_argument("--profile", action="store_true", help="profile ours with pyinstrument")
    args = parser.parse_args(argv)
    logging.getLogger("discord").setLevel(logging.ERROR)  # no "PyNaCl is not installed"
    asyncio.run(run(args.count, args.rounds, args.profile))
