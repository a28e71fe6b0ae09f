"""Slash commands through the fake Discord gateway: our adapter beside a bare discord.py client.

Each client under test is the real discord.py in a child process of its own,
connected over loopback to the fake Discord of the tests (zlib-stream gateway,
REST), which runs in this process with the load generator. The fake's work
(encoding and compressing gateway frames, parsing and checking REST bodies,
echoing messages) is what Discord does on its own servers: apart, it is not
charged to the client. The clients run one after the other, a fresh child each
time. The bare client's handler only answers "ok"; ours runs `/profile
view` through the dispatcher on a fresh SQLite database (in the child's temporary
directory; every bench user joins through the fake first) and renders the profile
card. Latency is from the fake sending INTERACTION_CREATE to the interaction
callback arriving back at it; throughput is interactions answered per second.

Two more runs replace the core with a canned answer, to say where the time goes:
"card" answers with the same profile card (the adapter's rendering, and a bigger
message for discord.py and the fake to carry); "ok" answers "ok" like the bare
client (the adapter's own cost: invocation, deferral timer, escaping, mentions).

Our client asks for the guild messages intent, to count the replies in discussion
threads, so every public answer comes back to it as a MESSAGE_CREATE, as Discord
does: the fake copies, encodes and compresses it (the fake's CPU), and discord.py
decompresses it and builds a Message of it, which on_message drops (the client's
CPU). The bare client, with the guilds intent only, is sent none. On SQLite the
bot is one instance, so no interaction is claimed in the database (see
adapters/discord/claims.py): the run measures neither claims nor PostgreSQL.

CPU per interaction is given for each side: "client cpu" is the child's (utime +
stime from /proc/<pid>/stat, in clock ticks of 10 ms: over 300 interactions, good
to within 0.07 ms), "fake cpu" this process's (the fake and the load generator).
Each level starts with the fake's history dropped and a full garbage collection in
both processes, so that no client pays for the heap another one left. --profile
runs pyinstrument in the child of ours (or of the client named), first round, and
prints what it saw.

    python -m bench discord [--count 300] [--rounds 5] [--profile [NAME]] [--postgres]

--postgres runs ours (and card and ok) on PostgreSQL, where every interaction is
claimed in the database first, as with several replicas.

A child is started as `python -m bench.discord --serve NAME --guild-id ID`, with
DISCORD_TOKEN, DISCORD_API_URL and DISCORD_GATEWAY_URL pointing at the fake. It
prints "ready" once its client is connected with its commands synced, then does
what this process writes on its stdin, a line at a time, printing "done" after
each: "gc"; "stub MEMBER CHANNEL" (card and ok, once the members have joined:
the canned answer made from that member's card); "profile" and "report". Its
stdin closed, it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands
from pydantic import SecretStr

from adapters.bootstrap import build_app, tune_gc
from adapters.discord.client import DiscordSettings, Dispatches
from adapters.discord.endpoints import API_URL, GATEWAY_URL, apply_endpoints
from adapters.discord.runner import DiscordRunner
from bench.stats import collector_paused, percentile, process_cpu_seconds
from bot.config import Config, Secrets
from bot.identity import Identity, Place
from bot.invocation import Click, CommandCall, ThreadMessage
from bot.messages import Reply, say, text
from storage import Storage
from storage.database import database_url
from tests.databases import postgres_storage
from tests.fakes.discord import FakeDiscord, address

LEVELS = (1, 20)
USERS = 20
WARM_UP = 40
CLIENTS = ("bare", "ours", "card", "ok")
STUBBED = ("card", "ok")  # ours, with the core replaced by a canned answer
READY, DONE = "ready", "done"  # the child's lines on stdout
DATABASE = "BENCH_DATABASE"  # "postgresql" in a child's environment: ours on PostgreSQL

T = TypeVar("T")


@dataclass
class Figures:
    latencies_ms: list[float]
    seconds: float
    client_cpu_seconds: float  # of the child process: the client under test
    fake_cpu_seconds: float  # of this process: the fake Discord and the load generator

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds

    @property
    def client_cpu_ms(self) -> float:
        """CPU per interaction: less swayed than throughput by other work on the machine."""
        return self.client_cpu_seconds * 1000 / len(self.latencies_ms)

    @property
    def fake_cpu_ms(self) -> float:
        return self.fake_cpu_seconds * 1000 / len(self.latencies_ms)


# -- the clients under test (each in a child process) ---------------------------------


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


# -- this process: Discord and the load -----------------------------------------------


class Child:
    """A client under test in its own process."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.name = name
        self.process = process
        self.stdin, self.stdout = process.stdin, process.stdout

    async def ask(self, *command: object) -> None:
        """Have the child do one thing, and wait until it has (echoing what it prints)."""
        self.stdin.write(" ".join(map(str, command)).encode() + b"\n")
        await self.stdin.drain()
        while (line := await asyncio.wait_for(self.stdout.readline(), 30)) != f"{DONE}\n".encode():
            if not line:
                raise RuntimeError(f"the {self.name} client stopped (asked {command})")
            print(line.decode(), end="")

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)


@asynccontextmanager
async def child(name: str, fake: FakeDiscord) -> AsyncIterator[Child]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.discord",
        "--serve",
        name,
        "--guild-id",
        str(fake.guild.id),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        # The same redirection a coordinator would use: the environment.
        env={
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            API_URL: fake.api_base,
            GATEWAY_URL: fake.gateway_url,
        },
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        if line != f"{READY}\n".encode():
            raise RuntimeError(f"the {name} client did not start")
        yield Child(name, process)
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


async def join(fake: FakeDiscord) -> None:
    """Every bench user a member, through the client under test, so "profile view" shows a card."""
    for n in range(USERS):
        options = {
            "name": f"Bench Member {n}",
            "organization": "Bench County Health",
            "discipline": "Epidemiology",
            "region": "West",
        }
        payload = fake.slash_command(*address("join"), options, user=f"bench{n:02d}")
        response = await fake.interact(payload)
        if not response.accepted:
            raise RuntimeError(f"join not answered in time: {response}")


async def measure(
    fake: FakeDiscord, client: Child, in_flight: int, count: int, *, profiled: bool = False
) -> Figures:
    """`count` interactions, `in_flight` at a time, from USERS different members."""
    latencies: list[float] = []
    users = [f"bench{n:02d}" for n in range(USERS)]
    # Each level starts from the same heap: what earlier levels left in the fake is
    # dropped and collected (collector_paused), so no client pays for another's garbage.
    fake.forget_history()
    await client.ask("gc")
    if profiled:
        await client.ask("profile")

    async def worker(index: int) -> None:
        for n in range(index, count, in_flight):
            payload = fake.slash_command(*address("profile view"), user=users[n % USERS])
            response = await fake.interact(payload, timeout=30)
            if not response.accepted or response.type != 4:
                raise RuntimeError(f"interaction not answered in time: {response}")
            latencies.append(response.elapsed * 1000)

    with collector_paused():
        started, cpu, client_cpu = time.perf_counter(), time.process_time(), client.cpu_seconds()
        await asyncio.gather(*(worker(i) for i in range(in_flight)))
    figures = Figures(
        latencies,
        time.perf_counter() - started,
        client.cpu_seconds() - client_cpu,
        time.process_time() - cpu,
    )
    if profiled:
        await client.ask("report")
    return figures


async def levels(fake: FakeDiscord, name: str, count: int, profile: bool) -> dict[int, Figures]:
    """One client started, warmed up and measured at each level, then stopped."""
    figures: dict[int, Figures] = {}
    async with child(name, fake) as client:
        if name != "bare":
            await join(fake)
        if name in STUBBED:
            await client.ask("stub", fake.member("bench00").id, fake.channel("general").id)
        await measure(fake, client, 4, WARM_UP)
        for level in LEVELS:
            figures[level] = await measure(fake, client, level, count, profiled=profile)
    return figures


async def run(count: int, rounds: int, profile: str | None) -> None:
    fake = FakeDiscord()
    existing = {c.name for c in fake.guild.channels}
    for channel in Config().channels.model_dump().values():  # as a coalition would have
        if channel not in existing:
            fake.guild.add_text_channel(channel)
    for n in range(USERS):
        fake.guild.add_member(f"bench{n:02d}")
    runs: dict[str, dict[int, list[Figures]]] = {}
    async with fake:
        # Rounds in turn, so that a change in the machine's load between runs
        # does not favour whichever client happened to go first.
        for round_ in range(rounds):
            for name in CLIENTS:
                profiled = name == profile and round_ == 0
                measured = await levels(fake, name, count, profiled)
                for level, figures in measured.items():
                    runs.setdefault(name, {}).setdefault(level, []).append(figures)
    print(
        f"discord benchmark: /profile view, {count} interactions per level, "
        f"{rounds} rounds (latency over all rounds; throughput and ratios the median round)"
    )
    print("  each client in a process of its own; the fake Discord and the load in this one")
    json_library = "orjson" if discord.utils.HAS_ORJSON else "json (orjson is not installed)"
    print(f"  discord.py reads and writes JSON with {json_library}")
    print("  bare: discord.py alone, answering 'ok'")
    database = "PostgreSQL, each interaction claimed" if os.environ.get(DATABASE) else "SQLite"
    print(f"  ours: the adapter and the core ({database}), answering with the profile card")
    print("  card: the adapter alone (core replaced by the canned card): rendering and size")
    print("  ok:   the adapter alone answering 'ok', as bare does: the adapter's own cost")
    print(
        "  ours, card and ok ask for the guild messages intent (to count replies in\n"
        "  discussion threads), so each public answer comes back to them as a MESSAGE_CREATE\n"
        "  that the fake sends and discord.py parses; bare (guilds intent only) gets none."
    )
    print(
        "  rounds: the slowest and fastest round's throughput; client cpu: the client\n"
        "  process's CPU per interaction (10 ms ticks); fake cpu: this process's (the fake\n"
        "  Discord and the load generator); both the median round"
    )
    for level in LEVELS:
        print(f"{level} in flight")
        for name in CLIENTS:
            print(_line(name, runs[name][level]))
        for name in CLIENTS[1:]:
            # Each round's ratio is of two runs close in time: the median of those is
            # less swayed by the machine's load changing during the run.
            ratios = [
                mine.throughput / bare.throughput
                for mine, bare in zip(runs[name][level], runs["bare"][level], strict=True)
            ]
            print(
                f"  throughput {name}/bare: {statistics.median(ratios):.2f} "
                f"(rounds {min(ratios):.2f}-{max(ratios):.2f})"
            )


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
        f"client cpu {statistics.median(f.client_cpu_ms for f in figures):4.2f} ms  "
        f"fake cpu {statistics.median(f.fake_cpu_ms for f in figures):4.2f} ms"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench discord")
    parser.add_argument("--count", type=int, default=300, help="interactions per level")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each client, in turn")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="ours",
        choices=CLIENTS,
        help="profile one client (ours if not named) with pyinstrument",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="ours on PostgreSQL (the tests' server, a fresh schema): interactions are claimed",
    )
    parser.add_argument("--serve", choices=CLIENTS, help=argparse.SUPPRESS)
    parser.add_argument("--guild-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.getLogger("discord").setLevel(logging.ERROR)  # no "PyNaCl is not installed"
    if args.serve:
        asyncio.run(serve(args.serve, args.guild_id))
        return
    if args.postgres:
        os.environ[DATABASE] = "postgresql"  # the children inherit it
    asyncio.run(run(args.count, args.rounds, args.profile))


if __name__ == "__main__":
    main(sys.argv[1:])
