"""Real `coalition-bot run` processes against the fake Slack or Discord, for kill -9 tests.

The processes run on the wall clock, so the story is seeded around "now": reminders
that fell due a minute ago (within the grace period) are posted at once by the
first sweep. The tests hold the fake's answers to make the crash window exact, not
the bot: nothing in the bot knows it is being tested.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.identity import Identity
from bot.meetings.model import Answer, Meeting
from bot.membership.model import Profile
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.scheduling.process_database import ProcessDatabase

ROOT = Path(__file__).parents[2]
WAIT = 90.0  # seconds before a stuck process fails the test (never reached when it works)
COMMAND = str(Path(sys.executable).parent / "coalition-bot")
READY_LINE = "Health, readiness and metrics: "  # what `run` prints once it serves HTTP


@dataclass(frozen=True)
class Story:
    channels: tuple[str, ...]
    per_channel: int
    going: tuple[Identity, ...]  # each answered Going to the first channel's meetings

    @property
    def channel_posts(self) -> int:
        return len(self.channels) * self.per_channel

    @property
    def deliveries(self) -> int:
        return self.channel_posts + self.per_channel * len(self.going)

    def title(self, channel: str, n: int) -> str:
        return f"Meeting {channel}-{n}"


async def seed(database: ProcessDatabase, story: Story) -> None:
    storage = database.storage
    now = datetime.now(UTC)  # the bot processes run on the wall clock
    start = (now - timedelta(minutes=1)).replace(second=0, microsecond=0, tzinfo=None)
    created = now - timedelta(days=2)  # long ago: no announcements in this story
    async with storage.unit_of_work() as uow:
        admin = await uow.members.add(
            Profile("Dana", "HQ"), Identity("console", "local", "admin"), pending=False, at=created
        )
        people = [
            await uow.members.add(Profile(f"Member {n}", "Org"), who, pending=False, at=created)
            for n, who in enumerate(story.going)
        ]
        for channel in story.channels:
            for n in range(story.per_channel):
                meeting = await uow.meetings.add(
                    Meeting(
                        0,
                        story.title(channel, n),
                        start,
                        "UTC",
                        30,
                        channel,
                        reminders=(),
                        created_by=admin.id,
                    ),
                    at=created,
                )
                if channel == story.channels[0]:
                    for person in people:
                        await uow.rsvps.answer(
                            meeting.id, start.date(), person.id, Answer.GOING, at=created
                        )
        await uow.commit()


def run_environment(
    home: Path, env: dict[str, str], database: ProcessDatabase, config: str = ""
) -> dict[str, str]:
    """The environment of `coalition-bot run` in `home`: the platform's tokens and
    endpoints in `env`, a config.toml written there (starting with `config`), a
    free HTTP port (`ready_url` says which)."""
    path = home / "config.toml"
    path.write_text(
        f'{config}[database]\nurl = "{database.url}"\n[http]\nhost = "127.0.0.1"\n'
        "[meetings]\ngrace_minutes = 15\nclaim_timeout_seconds = 1\n"
        "sweep_seconds = 1\nleader_check_seconds = 1\n"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "COALITION_"))
    }
    environment.update(env, COALITION_CONFIG=str(path), COALITION_HTTP_PORT="0")
    return environment


def slack_env(fake: FakeSlack) -> dict[str, str]:
    """What `run` needs to connect to the fake Slack (see run_environment)."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-kill-test",
        "SLACK_APP_TOKEN": "xapp-kill-test",
        "SLACK_API_URL": fake.api_url,
    }


def discord_env(fake: FakeDiscord) -> dict[str, str]:
    """What `run` needs to connect to the fake Discord, in its one guild."""
    return {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_GUILD_IDS": str(fake.guild.id),
    }


async def start(
    tmp_path: Path, name: str, env: dict[str, str], database: ProcessDatabase, config: str = ""
) -> asyncio.subprocess.Process:
    """`coalition-bot run` (see run_environment, which `config` starts); its log in
    `name`.log."""
    environment = run_environment(tmp_path, env, database, config)
    with (tmp_path / f"{name}.log").open("w") as log:
        return await asyncio.create_subprocess_exec(
            COMMAND,
            "run",
            cwd=tmp_path,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,  # one line or two: where it serves HTTP
            stderr=log,
        )


async def ready_url(process: asyncio.subprocess.Process) -> str:
    """The base URL of the process's /readyz and /metrics, once it listens."""
    assert process.stdout is not None
    async with asyncio.timeout(WAIT):
        while not (line := (await process.stdout.readline()).decode()).startswith(READY_LINE):
            assert line, "the bot process stopped before serving HTTP"
    url = line.removeprefix(READY_LINE).strip().removesuffix("/readyz")
    return url.replace("localhost", "127.0.0.1")


async def until_shown(
    shows: Callable[[], Awaitable[bool]],
    failure: Callable[[], str],
    *processes: asyncio.subprocess.Process,
) -> None:
    """Wait until the database `shows` what the processes are to leave; fail, saying
    `failure()`, if it stalls, or if every process ends first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not await shows():
        if all(process.returncode is not None for process in processes):
            raise AssertionError("the bot processes ended early")
        if loop.time() > deadline:
            raise AssertionError(failure())
        # Another process writes the database: there is no event to await, so look again.
        await asyncio.sleep(0.05)


async def until(
    database: ProcessDatabase, where: str, expected: int, *processes: asyncio.subprocess.Process
) -> None:
    """Wait until `expected` deliveries match `where`; fail if every process ends, or stalls."""
    found = -1

    async def shows() -> bool:
        nonlocal found
        found = await database.count(where)
        return found == expected

    await until_shown(shows, lambda: f"{found} deliveries with {where}, not {expected}", *processes)


async def kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(process.wait(), WAIT) == -signal.SIGKILL


@asynccontextmanager
async def killed_after(
    tmp_path: Path, name: str, env: dict[str, str], database: ProcessDatabase, config: str = ""
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A process `start`ed for the block, killed with SIGKILL when it ends."""
    process = await start(tmp_path, name, env, database, config)
    try:
        yield process
    finally:
        await kill(process)


def log_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(encoding="utf-8")


def shown(message: dict[str, Any]) -> str:
    """A Discord message's words: reminders are embeds, with little or no content."""
    return json.dumps([message["content"], message["embeds"]], ensure_ascii=False)


def each_once(story: Story, channel: str, texts: Iterable[str]) -> None:
    """Every meeting of `channel` was reminded of exactly once there."""
    shown = list(texts)
    for n in range(story.per_channel):
        title = story.title(channel, n)
        assert sum(title in t for t in shown) == 1, (title, shown)
    assert len(shown) == story.per_channel, shown


async def kill_all(processes: Iterable[asyncio.subprocess.Process]) -> None:
    """SIGKILL to each process still running (for `finally`), and wait for it to end."""
    for process in processes:
        if process.returncode is None:
            with suppress(ProcessLookupError):  # it ended since
                process.kill()
            await asyncio.wait_for(process.wait(), WAIT)
