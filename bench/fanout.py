"""Fan-out at scale: one reminder instant, many people who said Going, the platforms' limits.

The coalition has `--members` members; `--going` of them answered Going to one of
`--meetings` meetings (each in a channel of its own), whose reminders are all due at
the same instant. One sweep of the real ReminderService posts each meeting's channel
reminder and a direct message to everyone going, through the real adapters (slack-bolt's
client, discord.py) against the fakes, which enforce the platforms' documented limits
and answer HTTP 429 with Retry-After past them:

- Slack: chat.postMessage one a second per channel with short bursts (the fake allows
  `SLACK_POST_BURST`); conversations.open is Tier 3, 50 a minute for the workspace
  (bursts: `SLACK_TIER_BURST`; Slack publishes no burst size, this is an assumption).
- Discord: 50 requests a second for the bot, globally (a 429 with "global": true);
  POST /channels/{id}/messages 5 per 5 s per channel, with X-RateLimit-* headers.

Figures, each from the sweep's start: the last channel post, the last direct message,
beside the minimum the limits allow for the same requests, and the 429s answered.
Channel posts should be done before the direct messages are, and the ratio of the
last DM to its minimum at most 1.1.

    python -m bench fanout [--platform both|slack|discord] [--members 5000]
                           [--going 200] [--slack-going 60] [--meetings 10] [--full]

`--full` is the issue's case: 5,000 members, 1,000 going, on both platforms. On Slack
the 1,000 DM channels take about 20 minutes to open at Tier 3; the default run is
smaller so that it finishes in a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from pydantic import SecretStr

from adapters.bootstrap import App, build_app
from adapters.discord.client import DiscordSettings
from adapters.discord.endpoints import API_URL, GATEWAY_URL
from adapters.discord.runner import DiscordRunner
from bench.stats import peak_rss_mib
from bot.config import Config, Secrets
from bot.identity import Identity
from bot.meetings.model import Answer, Meeting
from bot.meetings.reminders import ReminderService, SweepReport
from bot.membership.model import Profile
from storage import Storage
from storage.database import database_url
from tests.scheduling.bot_process import OffsetClock

DUE = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
SLACK_TEAM = "T1"
SLACK_POST_BURST = 3
SLACK_TIER_BURST = 10
SLACK_OPENS_PER_MINUTE = 50  # conversations.open: Tier 3
DISCORD_GLOBAL = 50  # requests a second
T = TypeVar("T")


@dataclass
class Figures:
    platform: str
    going: int
    channels: int
    seconds: float  # the whole sweep
    first: float  # seconds from the start to the first request: the claims before it
    last_channel: float  # seconds from the start to the last channel post accepted
    last_dm: float
    minimum_channel: float
    minimum_dm: float
    refused: int  # 429s answered
    posted_channels: int
    posted_dms: int
    report: SweepReport

    def lines(self) -> list[str]:
        return [
            f"  {self.platform}: {self.going} going, {self.channels} channels; sweep "
            f"{self.seconds:.1f} s, first request at {self.first:.2f} s, {self.report}",
            f"    last channel post {self.last_channel:6.2f} s (minimum "
            f"{self.minimum_channel:.2f} s); {self.posted_channels}/{self.channels} posted",
            f"    last DM           {self.last_dm:6.2f} s (minimum {self.minimum_dm:.2f} s, "
            f"ratio {_ratio(self.last_dm, self.minimum_dm)}); {self.posted_dms}/{self.going} "
            f"posted; 429s answered: {self.refused}",
        ]


def _ratio(measured: float, minimum: float) -> str:
    return f"{measured / minimum:.3f}" if minimum > 0 else "n/a"


# -- the coalition -------------------------------------------------------------------------


async def seed(
    storage: Storage, accounts: list[Identity], going: int, meetings: int, channel: str
) -> None:
    """`accounts` members; the first `going` answered Going to one meeting each, in turn."""
    created = DUE - timedelta(days=2)
    ids: list[int] = []
    for start in range(0, len(accounts), 1000):
        async with storage.unit_of_work() as uow:
            for n, account in enumerate(accounts[start : start + 1000], start):
                profile = Profile(f"Member {n}", "Bench County Health")
                member = await uow.members.add(profile, account, pending=False, at=created)
                ids.append(member.id)
            await uow.commit()
    async with storage.unit_of_work() as uow:
        added = []
        for m in range(meetings):
            meeting = Meeting(
                0,
                f"Fan-out {m}",
                DUE.replace(tzinfo=None),
                "UTC",
                30,
                channel.format(m),
                reminders=(),
                created_by=ids[0],
            )
            added.append(await uow.meetings.add(meeting, at=created))
        for n, member_id in enumerate(ids[:going]):
            meeting = added[n % meetings]
            await uow.rsvps.answer(meeting.id, DUE.date(), member_id, Answer.GOING, at=created)
        await uow.commit()


async def sweep(app: App, storage: Storage) -> tuple[SweepReport, float, float]:
    """One sweep at the instant everything is due: (report, started, seconds)."""
    service = ReminderService(
        storage.unit_of_work, app.broadcaster, OffsetClock(DUE), Config(), owner="fanout"
    )
    started_wall, started = time.time(), time.perf_counter()
    report = await service.run_due()
    return report, started_wall, time.perf_counter() - started


# -- Slack ---------------------------------------------------------------------------------


async def slack(storage: Storage, members: int, going: int, meetings: int) -> Figures:
    from tests.adapters.slack.harness import slack_bot
    from tests.fakes.slack import FakeSlack

    users = {f"U{n:05d}": {"real_name": f"Member {n}"} for n in range(going)}
    accounts = [Identity("slack", SLACK_TEAM, f"U{n:05d}") for n in range(members)]
    channels = {f"fanout-{m}": f"CF{m:04d}" for m in range(meetings)}
    await seed(storage, accounts, going, meetings, "fanout-{}")
    async with (
        FakeSlack(users=users, channels=channels) as fake,
        slack_bot(fake, storage) as (
            app,
            _,
        ),
    ):
        fake.rate_limit_per_channel(1.0, burst=SLACK_POST_BURST)
        fake.rate_limit_method("conversations.open", SLACK_OPENS_PER_MINUTE, burst=SLACK_TIER_BURST)
        report, started, seconds = await sweep(app, storage)
        posts = [c for c in fake.calls_to("chat.postMessage") if c.ok]
        in_channels = [c for c in posts if str(c.params["channel"]).startswith("C")]
        dms = [c for c in posts if str(c.params["channel"]).startswith("D")]
        refused = fake.rate_limited_count
        first = min((c.timestamp for c in fake.calls if c.timestamp >= started), default=started)
    per_channel = 1  # one reminder per meeting, one meeting per channel
    opens_over_burst = max(0, going - SLACK_TIER_BURST)
    return Figures(
        "slack",
        going,
        meetings,
        seconds,
        first - started,
        _last(in_channels, started, lambda c: c.timestamp),
        _last(dms, started, lambda c: c.timestamp),
        max(0, per_channel - SLACK_POST_BURST) * 1.0,
        opens_over_burst * 60 / SLACK_OPENS_PER_MINUTE,
        refused,
        len(in_channels),
        len(dms),
        report,
    )


# -- Discord -------------------------------------------------------------------------------


async def discord(storage: Storage, members: int, going: int, meetings: int) -> Figures:
    from tests.fakes.discord import FakeDiscord

    fake = FakeDiscord()
    for name in ("coordinators", "resources", "discussions"):  # as config.toml names them
        fake.guild.add_text_channel(name)
    for m in range(meetings):
        fake.guild.add_text_channel(f"fanout-{m}")
    people = [fake.guild.add_member(f"member{n:05d}") for n in range(going)]
    accounts = [Identity("discord", str(fake.guild.id), str(p.user.id)) for p in people]
    accounts += [
        Identity("discord", str(fake.guild.id), str(900_000_000_000_000_000 + n))
        for n in range(going, members)
    ]
    await seed(storage, accounts, going, meetings, "fanout-{}")
    async with fake, _discord_bot(fake, storage) as app:
        fake.limit_global(DISCORD_GLOBAL)
        fake.limit_route("POST", "/channels/{channel_id}/messages", limit=5, per=5.0)
        started_at = time.monotonic()
        report, _, seconds = await sweep(app, storage)
        channel_ids = {fake.channel(f"fanout-{m}").id for m in range(meetings)}
        posts = [c for c in fake.find_calls("POST", r"/channels/\d+/messages") if c.status == 200]
        in_channels = [c for c in posts if int(c.path.split("/")[2]) in channel_ids]
        dms = [c for c in posts if int(c.path.split("/")[2]) not in channel_ids]
        refused = fake.rate_limited_count
        first = min((c.at for c in fake.calls if c.at >= started_at), default=started_at)
    # Every request counts against the global limit: a DM channel opened and a post for
    # each person, a post in each channel. In any second at most DISCORD_GLOBAL go, so
    # request n (from 0) goes at the earliest n // DISCORD_GLOBAL seconds after the first.
    requests = 2 * going + meetings
    return Figures(
        "discord",
        going,
        meetings,
        seconds,
        first - started_at,
        _last(in_channels, started_at, lambda c: c.at),
        _last(dms, started_at, lambda c: c.at),
        float((meetings - 1) // DISCORD_GLOBAL),
        float((requests - 1) // DISCORD_GLOBAL),
        refused,
        len(in_channels),
        len(dms),
        report,
    )


@asynccontextmanager
async def _discord_bot(fake: object, storage: Storage) -> AsyncIterator[App]:
    from tests.fakes.discord import FakeDiscord

    assert isinstance(fake, FakeDiscord)
    app = build_app(Config(), Secrets(discord_token=SecretStr(fake.token)), storage=storage)
    runner = DiscordRunner(
        SecretStr(fake.token),
        DiscordSettings(guild_ids=(fake.guild.id,)),
        env={API_URL: fake.api_base, GATEWAY_URL: fake.gateway_url},
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(runner.run(app))
    try:
        ready = asyncio.ensure_future(runner.wait_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=60, return_when="FIRST_COMPLETED")
        if task in done:
            task.result()
        if ready not in done:
            raise RuntimeError("the Discord client did not become ready")
        yield app
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _last(calls: list[T], started: float, at: Callable[[T], float]) -> float:
    return max((at(c) - started for c in calls), default=float("nan"))


# -- the run -------------------------------------------------------------------------------


async def fresh(directory: str, name: str) -> Storage:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / name}"))
    await storage.upgrade()
    return storage


async def run(args: argparse.Namespace) -> None:
    print(
        f"fan-out benchmark: {args.members} members, {args.meetings} meetings due at the same "
        "instant (SQLite file; real adapters against the fakes, limits enforced with 429s)"
    )
    with tempfile.TemporaryDirectory() as directory:
        if args.platform in ("both", "discord"):
            storage = await fresh(directory, "discord.db")
            figures = await discord(storage, args.members, args.going, args.meetings)
            await storage.dispose()
            print("\n".join(figures.lines()))
        if args.platform in ("both", "slack"):
            storage = await fresh(directory, "slack.db")
            figures = await slack(storage, args.members, args.slack_going, args.meetings)
            await storage.dispose()
            print("\n".join(figures.lines()))
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench fanout")
    parser.add_argument("--platform", choices=("both", "slack", "discord"), default="both")
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--going", type=int, default=200, help="on Discord")
    parser.add_argument("--slack-going", type=int, default=60, help="on Slack")
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--full", action="store_true", help="5,000 members, 1,000 going")
    args = parser.parse_args(argv)
    if args.full:
        args = replace_args(args, members=5_000, going=1_000, slack_going=1_000)
    logging.getLogger("discord").setLevel(logging.ERROR)  # each 429 is counted, not logged
    asyncio.run(run(args))


def replace_args(args: argparse.Namespace, **values: object) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), **values})
