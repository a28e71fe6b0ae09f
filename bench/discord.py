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

A child is started as `python -m bench.discord --serve NAME --guild-id ID` (its clients:
bench/discord_clients.py), with DISCORD_TOKEN, DISCORD_API_URL and DISCORD_GATEWAY_URL
pointing at the fake. It prints "ready" once its client is connected with its commands
synced, then does what this process writes on its stdin, a line at a time, printing
"done" after each: "gc"; "stub MEMBER CHANNEL" (card and ok, once the members have
joined: the canned answer made from that member's card); "profile" and "report". Its
stdin closed, it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import discord

from adapters.discord.endpoints import API_URL, GATEWAY_URL
from bench.discord_clients import DATABASE, DONE, READY, STUBBED, serve
from bench.stats import collector_paused, percentile, process_cpu_seconds
from bot.config import Config
from tests.fakes.discord import FakeDiscord, address

LEVELS = (1, 20)
USERS = 20
WARM_UP = 40
CLIENTS = ("bare", "ours", "card", "ok")


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
