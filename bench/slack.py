"""Slash commands through Slack's HTTP mode on loopback: our bot beside a bare Bolt app.

Each app runs in a process of its own, behind the same aiohttp server stack
(adapters/slack/runner.py). This process plays Slack: it sends signed
`/coalition help` requests, times each until its acknowledgement, and serves
the fake Slack Web API and response URLs the bot answers slower commands through.

    python -m bench slack [--requests 2500] [--levels 1,20] [--rounds 5]

The requests of each level are measured in rounds: each round runs every app in
turn, so that the machine slowing down or speeding up during the run (these are
shared virtual machines) does not favour one app. The ratio line gives the ratio
over all rounds and its range across rounds.

"app cpu/req" is the app process's CPU per request (utime + stime from /proc, in
10 ms ticks): at 20 concurrent the apps are CPU-bound, and this figure is less
swayed than throughput by the rest of the machine.

Each measurement is preceded by WARMUP requests at its own concurrency. Without
them, the first burst at 20 concurrent timed the opening of 16 new connections and
(for ours, idle for the half-minute bare-default takes at 1 concurrent) 20 member
lookups whose cache entries had expired: a p99 of 40-60 ms that no busy bot sees.

Apps compared:
  ours         the coalition bot (fresh SQLite database): an answer ready within
               a second goes back in the ack itself, a slower one through the
               response URL after an empty ack ("answered/s" counts both)
  bare         a Bolt AsyncApp whose listener only acks, with the same Bolt
               settings as ours (process_before_response=True)
  bare-default the same bare app with Bolt's default settings, for reference:
               Bolt then polls for the ack every 10 ms
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from slack_bolt.async_app import AsyncApp

from bench.stats import collector_paused, percentile, process_cpu_seconds

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench"
USERS = 20  # distinct people sending commands
WARMUP = 100  # requests before each measurement: every user, several per connection
APPS = ("ours", "bare", "bare-default")


@dataclass
class Level:
    """One app at one concurrency, over all rounds."""

    app: str
    concurrency: int
    acks_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0  # from the first request to the last acknowledgement, summed
    answered_seconds: float | None = None  # ...to the last answer through a response_url
    cpu_seconds: float = 0.0  # the app's process, all the while
    round_rates: list[float] = field(default_factory=list)  # requests/s of each round

    def add(self, acks_ms: list[float], seconds: float, answered: float | None, cpu: float) -> None:
        self.acks_ms += acks_ms
        self.seconds += seconds
        if answered is not None:
            self.answered_seconds = (self.answered_seconds or 0.0) + answered
        self.cpu_seconds += cpu
        self.round_rates.append(len(acks_ms) / seconds)

    @property
    def cpu_ms(self) -> float:
        """The app's CPU per request: less swayed than throughput by other work."""
        return self.cpu_seconds * 1000 / len(self.acks_ms)

    @property
    def throughput(self) -> float:
        return len(self.acks_ms) / self.seconds


# -- the apps under test (each in a child process) ------------------------------------


async def serve(kind: str, api_url: str) -> None:
    """Run one app on a free port, print the port, and serve until stdin closes."""
    from adapters.slack.runner import http_server

    async with (
        _app(kind, api_url) as bolt,
        http_server(bolt, "127.0.0.1", 0) as port,
    ):
        print(port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # the parent closes it to stop us


@asynccontextmanager
async def _app(kind: str, api_url: str) -> AsyncIterator[AsyncApp]:
    from adapters.bootstrap import build_app, tune_gc
    from adapters.slack.app import SlackBot, SlackSettings, bolt_app, web_client
    from adapters.slack.retries import database_claim
    from bot.config import Config, Secrets
    from storage import Storage
    from storage.database import database_url

    settings = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, mode="http", api_url=api_url
    )
    if kind == "ours":
        with tempfile.TemporaryDirectory() as directory:
            storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'b.db'}"))
            app = build_app(Config(), Secrets(), storage=storage)
            await app.start()
            tune_gc()  # as `coalition-bot run` does
            try:
                claim = database_claim(storage.interactions, app.clock)
                async with SlackBot(app.dispatcher, settings, claim) as bot:
                    app.broadcaster.connect(bot.poster)
                    yield bot.bolt
            finally:
                await app.close()
        return
    async with aiohttp.ClientSession() as session:
        client = web_client(settings, session)
        bolt = (
            bolt_app(client, SIGNING_SECRET)
            if kind == "bare"
            else AsyncApp(client=client, signing_secret=SIGNING_SECRET)
        )

        async def only_ack(ack: object) -> None:
            await ack()  # type: ignore[operator]

        bolt.command("/coalition")(only_ack)
        yield bolt


@dataclass
class Child:
    url: str
    pid: int


@asynccontextmanager
async def child(kind: str, api_url: str) -> AsyncIterator[Child]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.slack",
        "--serve",
        kind,
        "--api-url",
        api_url,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line.strip().isdigit():
            raise RuntimeError(f"the {kind} app did not start")
        yield Child(f"http://127.0.0.1:{int(line)}/slack/events", process.pid)
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


# -- this process: Slack ------------------------------------------------------------


async def measure(
    fake: object, session: aiohttp.ClientSession, url: str, count: int, concurrency: int
) -> tuple[list[float], float, list[str]]:
    from tests.fakes.slack import FORM_CONTENT_TYPE, FakeSlack, sign_request, slash_command_body

    assert isinstance(fake, FakeSlack)
    payloads = [
        fake.slash_command(text="help", user_id=f"U{n % USERS + 100}", user_name=f"user{n % USERS}")
        for n in range(count)
    ]
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for payload in payloads:
        queue.put_nowait(payload)
    acks: list[float] = []
    owed: list[str] = []  # response_urls of commands whose ack did not carry the answer

    async def worker() -> None:
        while not queue.empty():
            payload = queue.get_nowait()
            body = slash_command_body(payload)
            headers = {"Content-Type": FORM_CONTENT_TYPE, **sign_request(SIGNING_SECRET, body)}
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                answer = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url} answered {response.status}")
            acks.append((time.perf_counter() - started) * 1000)
            if b'"text"' not in answer:
                owed.append(payload["response_url"])

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return acks, time.perf_counter() - started, owed


async def answered(fake: object, urls: list[str], within: float = 120.0) -> float:
    """Seconds until each response_url got its answer (0 if every ack carried its answer)."""
    from urllib.parse import urlsplit

    from tests.fakes.slack import FakeSlack

    assert isinstance(fake, FakeSlack)
    paths = {urlsplit(u).path for u in urls}
    if not paths:
        return 0.0
    started = time.perf_counter()

    def done(_: object) -> bool:
        got = {c.path for c in fake.calls_to("response_url")}
        return paths <= got

    await fake.wait_for_call("response_url", done, timeout=within)
    return time.perf_counter() - started


async def run(count: int, levels: list[int], rounds: int) -> list[Level]:
    from tests.fakes.slack import FakeSlack

    users = {f"U{100 + n}": {"real_name": f"Bench User {n}"} for n in range(USERS)}
    results = [Level(app, concurrency) for concurrency in levels for app in APPS]
    async with (
        FakeSlack(users=users) as fake,
        child("ours", fake.api_url) as ours,
        child("bare", fake.api_url) as bare,
        child("bare-default", fake.api_url) as default,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session,
    ):
        apps = {"ours": ours, "bare": bare, "bare-default": default}
        # Rounds in turn, so that a change in the machine's load during the run does
        # not favour one app: each round measures every app at every concurrency.
        for _ in range(rounds):
            for level in results:
                app, concurrency = apps[level.app], level.concurrency
                # Each measurement starts warm, as a busy bot runs: Bolt's auth.test,
                # the users.info and member caches, `concurrency` keep-alive connections.
                _, _, sent = await measure(fake, session, app.url, WARMUP, concurrency)
                if level.app == "ours":
                    await answered(fake, sent)
                cpu = process_cpu_seconds(app.pid)
                with collector_paused():
                    acks, seconds, sent = await measure(
                        fake, session, app.url, count // rounds, concurrency
                    )
                done = seconds + await answered(fake, sent) if level.app == "ours" else None
                level.add(acks, seconds, done, process_cpu_seconds(app.pid) - cpu)
                fake.calls.clear()  # keep the fake's bookkeeping small between runs
    return results


def report(results: list[Level], count: int, rounds: int) -> None:
    print(
        f"slack benchmark: /coalition help over HTTP mode, {count} signed requests per level"
        f" in {rounds} rounds, the apps in turn"
    )
    print(
        f"  {'app':<13}{'conc':>5}{'p50 ack':>10}{'p99 ack':>10}{'req/s':>9}{'answered/s':>12}"
        f"{'app cpu/req':>13}"
    )
    for level in results:
        answered_rate = (
            f"{len(level.acks_ms) / level.answered_seconds:12.0f}"
            if level.answered_seconds
            else f"{'-':>12}"
        )
        print(
            f"  {level.app:<13}{level.concurrency:>5}"
            f"{percentile(level.acks_ms, 0.5):8.2f}ms{percentile(level.acks_ms, 0.99):8.2f}ms"
            f"{level.throughput:9.0f}{answered_rate}{level.cpu_ms:11.3f}ms"
        )
    for concurrency in sorted({r.concurrency for r in results}):
        ours = next(r for r in results if r.app == "ours" and r.concurrency == concurrency)
        bare = next(r for r in results if r.app == "bare" and r.concurrency == concurrency)
        ratios = sorted(o / b for o, b in zip(ours.round_rates, bare.round_rates, strict=True))
        print(
            f"  ours/bare at {concurrency:>2} concurrent: throughput "
            f"{ours.throughput / bare.throughput:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}), "
            "p99 ack "
            f"{percentile(ours.acks_ms, 0.99):.1f} ms vs {percentile(bare.acks_ms, 0.99):.1f} ms, "
            f"app cpu/req {ours.cpu_ms:.3f} ms vs {bare.cpu_ms:.3f} ms"
        )
    print("  targets: throughput ratio >= 0.80; p99 ack < 50 ms at 20 concurrent")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench slack")
    parser.add_argument("--requests", type=int, default=2500, help="requests per level")
    parser.add_argument("--levels", default="1,20", help="concurrency levels, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="turns of the apps per level")
    parser.add_argument("--serve", choices=APPS, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(serve(args.serve, args.api_url))
        return
    levels = [int(n) for n in args.levels.split(",")]
    report(asyncio.run(run(args.requests, levels, args.rounds)), args.requests, args.rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
