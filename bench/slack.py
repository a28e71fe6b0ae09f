"""Slack's HTTP mode on loopback: our bot beside a bare Bolt app, on SQLite and PostgreSQL.

Each app runs in a process of its own, behind the same aiohttp server
(adapters/slack/runner.py `http_server`). This process plays Slack: it sends
signed requests, times each until its acknowledgement, and serves the fake
Slack Web API and the response URLs that clicks are answered through.

    python -m bench slack [--requests 2500] [--levels 1,20] [--rounds 5]
                          [--workload mixed|help] [--backends sqlite,postgresql]

The mixed workload (the headline) is what members really do, in turn: a
directory search, a profile view, an RSVP click, a resource search and the
meeting list (bench/slack_workload.py). Beside ours runs a bare Bolt app that
answers each from one SQL statement of similar size on the same database, so
the ratio shows our stack's overhead over the database work itself. `--workload
help` sends only `/coalition help`, which the bare app only acknowledges: the
older figure, of the stack alone.

The requests of each level are measured in rounds: each round runs every app
in turn, so that the machine slowing down or speeding up during the run (these
are shared virtual machines) does not favour one app. The ratio is the median of
the rounds' ratios, with their range. "answered/s" counts a request answered
when its answer arrived, in the ack or through the response URL. "app cpu/req"
is the app process's CPU per request (from /proc, in 10 ms ticks): less swayed
than throughput by the rest of the machine.

Each measurement is preceded by WARMUP requests at its own concurrency, so that
it starts as a busy bot runs: connections open, caches filled.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.async_app import AsyncApp

from bench.database import bench_storage, fresh_database
from bench.slack_workload import (
    COMMANDS,
    KINDS,
    RSVP_ACTION,
    SIGNING_SECRET,
    USERS,
    Child,
    app_process,
    bare_listeners,
    our_bolt,
    seed,
    serve,
    signed_post,
    slack_settings,
    user_id,
)
from bench.stats import collector_paused, percentile, process_cpu_seconds

WARMUP = 100  # requests before each measurement: every user, several per connection
APPS = ("ours", "bare")


@dataclass
class Level:
    """One app on one database at one concurrency, over all rounds."""

    app: str
    backend: str
    concurrency: int
    acks_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0  # from the first request to the last answer, summed
    cpu_seconds: float = 0.0  # the app's process, all the while
    round_rates: list[float] = field(default_factory=list)  # answered/s of each round

    def add(self, acks_ms: list[float], seconds: float, cpu: float) -> None:
        self.acks_ms += acks_ms
        self.seconds += seconds
        self.cpu_seconds += cpu
        self.round_rates.append(len(acks_ms) / seconds)

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / len(self.acks_ms)

    @property
    def throughput(self) -> float:
        return len(self.acks_ms) / self.seconds


# -- the apps under test (each in a child process) ------------------------------------


@dataclass(frozen=True)
class Database:
    url: str
    schema: str | None  # PostgreSQL: the schema the seeded tables are in


@asynccontextmanager
async def _app(
    kind: str, workload: str, api_url: str, database: Database
) -> AsyncIterator[AsyncApp]:
    from adapters.slack.app import bolt_app, web_client

    storage = bench_storage(database.url, database.schema)
    try:
        if kind == "ours":
            async with our_bolt(storage, api_url) as bolt:
                yield bolt
            return
        async with aiohttp.ClientSession() as session:
            bolt = bolt_app(web_client(slack_settings(api_url), session), SIGNING_SECRET)
            if workload == "help":

                async def only_ack(ack: Any) -> None:
                    await ack()

                bolt.command("/coalition")(only_ack)
            else:
                bare_listeners(bolt, storage.engine, session)
            yield bolt
    finally:
        await storage.dispose()


async def _serve(kind: str, workload: str, api_url: str, database: Database) -> None:
    async with _app(kind, workload, api_url, database) as bolt:
        await serve(bolt)


def child(
    kind: str, workload: str, api_url: str, database: Database
) -> AbstractAsyncContextManager[Child]:
    arguments = ["--serve", kind, "--workload", workload, "--api-url", api_url]
    arguments += ["--database", database.url, "--schema", database.schema or ""]
    return app_process("bench.slack", kind, arguments)


@asynccontextmanager
async def seeded(backend: str) -> AsyncIterator[tuple[Database, str]]:
    """A database with the workload's data; the RSVP button's value."""
    async with fresh_database(backend) as (url, schema):
        storage = bench_storage(url, schema)
        try:
            target = (await seed(storage)).meeting_target
        finally:
            await storage.dispose()
        yield Database(url, schema or None), target


# -- this process: Slack ------------------------------------------------------------


def requests(fake: Any, workload: str, target: str, count: int) -> list[tuple[bytes, str | None]]:
    """Signed-to-be bodies, and the response URL of each that is answered through one."""
    from tests.fakes.slack import interactive_body, slash_command_body

    made: list[tuple[bytes, str | None]] = []
    for n in range(count):
        user = user_id(n)
        kind = "help" if workload == "help" else KINDS[(n + n // USERS) % len(KINDS)]
        if kind == "rsvp":
            click = fake.block_actions(RSVP_ACTION, target, user_id=user, team_id="T1")
            made.append((interactive_body(click), click["response_url"]))
        else:
            text = COMMANDS.get(kind, "help")
            command = fake.slash_command(text=text, user_id=user, user_name=f"user{n % USERS}")
            made.append((slash_command_body(command), command["response_url"]))
    return made


async def measure(
    fake: Any,
    session: aiohttp.ClientSession,
    url: str,
    sent: list[tuple[bytes, str | None]],
    concurrency: int,
    *,
    follows: bool = True,
) -> tuple[list[float], float]:
    """Each request's ack time, and the seconds until every answer arrived (with
    `follows`, an empty ack means that the answer follows through the response URL)."""
    queue = list(reversed(sent))
    acks: list[float] = []
    owed: set[str] = set()  # response URLs of requests whose ack did not carry the answer

    async def worker() -> None:
        while queue:
            body, response_url = queue.pop()
            ack_ms, answer = await signed_post(session, url, body)
            acks.append(ack_ms)
            if follows and b'"text"' not in answer and response_url is not None:
                owed.add(urlsplit(response_url).path)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if owed:

        def done(_: object) -> bool:
            return owed <= {c.path for c in fake.calls_to("response_url")}

        await fake.wait_for_call("response_url", done, timeout=120.0)
    return acks, time.perf_counter() - started


async def run(
    count: int, levels: list[int], rounds: int, workload: str, backends: list[str]
) -> list[Level]:
    from tests.fakes.slack import FakeSlack

    users = {user_id(n): {"real_name": f"Bench User {n}"} for n in range(USERS)}
    results = [Level(a, b, c) for b in backends for c in levels for a in APPS]
    async with AsyncExitStack() as stack:
        fake = await stack.enter_async_context(FakeSlack(users=users, channels={"general": "C1"}))
        session = await stack.enter_async_context(
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        )
        apps: dict[tuple[str, str], Child] = {}
        targets: dict[str, str] = {}
        for backend in backends:
            database, targets[backend] = await stack.enter_async_context(seeded(backend))
            for kind in APPS:
                apps[kind, backend] = await stack.enter_async_context(
                    child(kind, workload, fake.api_url, database)
                )
        for _ in range(rounds):
            for level in results:
                app = apps[level.app, level.backend]
                target = targets[level.backend]
                # The bare app of the help workload only acknowledges: nothing follows.
                follows = not (level.app == "bare" and workload == "help")
                warmup = requests(fake, workload, target, WARMUP)
                await measure(fake, session, app.url, warmup, level.concurrency, follows=follows)
                sent = requests(fake, workload, target, count // rounds)
                cpu = process_cpu_seconds(app.pid)
                with collector_paused():
                    acks, seconds = await measure(
                        fake, session, app.url, sent, level.concurrency, follows=follows
                    )
                level.add(acks, seconds, process_cpu_seconds(app.pid) - cpu)
                fake.calls.clear()  # keep the fake's bookkeeping small between runs
    return results


def report(results: list[Level], count: int, rounds: int, workload: str) -> None:
    what = "directory, profile, RSVP click, resources, meetings" if workload == "mixed" else "help"
    print(
        f"slack benchmark: {workload} workload ({what}) over HTTP mode, {count} signed requests"
        f" per level in {rounds} rounds, the apps in turn"
    )
    print(
        f"  {'app':<6}{'database':<12}{'conc':>5}{'p50 ack':>10}{'p99 ack':>10}"
        f"{'answered/s':>12}{'app cpu/req':>13}"
    )
    for level in results:
        print(
            f"  {level.app:<6}{level.backend:<12}{level.concurrency:>5}"
            f"{percentile(level.acks_ms, 0.5):8.2f}ms{percentile(level.acks_ms, 0.99):8.2f}ms"
            f"{level.throughput:12.0f}{level.cpu_ms:11.3f}ms"
        )
    for backend in sorted({r.backend for r in results}):
        for concurrency in sorted({r.concurrency for r in results}):
            ours, bare = (
                next(
                    r
                    for r in results
                    if (r.app, r.backend, r.concurrency) == (app, backend, concurrency)
                )
                for app in APPS
            )
            ratios = sorted(o / b for o, b in zip(ours.round_rates, bare.round_rates, strict=True))
            print(
                f"  ours/bare on {backend} at {concurrency:>2} concurrent: answered/s median "
                f"{statistics.median(ratios):.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}), "
                f"app cpu/req {ours.cpu_ms:.3f} ms vs {bare.cpu_ms:.3f} ms"
            )
    print("  target: median ratio >= 0.75 at 20 concurrent")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench slack")
    parser.add_argument("--requests", type=int, default=2500, help="requests per level")
    parser.add_argument("--levels", default="1,20", help="concurrency levels, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="turns of the apps per level")
    parser.add_argument("--workload", choices=("mixed", "help"), default="mixed")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--serve", choices=APPS, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        database = Database(args.database, args.schema or None)
        asyncio.run(_serve(args.serve, args.workload, args.api_url, database))
        return
    levels = [int(n) for n in args.levels.split(",")]
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends:
        from tests.databases import postgres_problem

        if (problem := postgres_problem()) is not None:
            print(f"PostgreSQL skipped: {problem}")
            backends.remove("postgresql")
    results = asyncio.run(run(args.requests, levels, args.rounds, args.workload, backends))
    report(results, args.requests, args.rounds, args.workload)


if __name__ == "__main__":
    main(sys.argv[1:])
