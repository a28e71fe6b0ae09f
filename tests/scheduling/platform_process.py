"""Real `coalition-bot run` processes against the fake Slack or Discord, for kill -9 tests.

The processes run on the wall clock, so the story is seeded around "now": reminders
that fell due a minute ago (within the grace period) are posted at once by the
first sweep. The tests hold the fake's answers to make the crash window exact, not
the bot: nothing in the bot knows it is being tested.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.identity import Identity
from bot.meetings.model import Answer, Meeting
from bot.membership.model import Profile
from storage import Storage
from storage.database import database_url

ROOT = Path(__file__).parents[2]
WAIT = 90.0  # seconds before a stuck process fails the test (never reached when it works)


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


async def seed(db: Path, story: Story) -> None:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{db}"))
    await storage.upgrade()
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
    await storage.dispose()


def count(db: Path, where: str) -> int:
    with sqlite3.connect(db, timeout=10) as connection:
        query = f"SELECT count(*) FROM meeting_deliveries WHERE {where}"
        return int(connection.execute(query).fetchone()[0])


async def start(tmp_path: Path, name: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`coalition-bot run` with the platform's tokens and endpoints in `env`."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n'
        "[meetings]\ngrace_minutes = 15\nclaim_timeout_seconds = 1\n"
        "sweep_seconds = 1\nleader_check_seconds = 1\n"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "COALITION_"))
    }
    environment.update(env, COALITION_CONFIG=str(config))
    with (tmp_path / f"{name}.log").open("w") as log:
        return await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "coalition-bot"),
            "run",
            cwd=tmp_path,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )


async def until(db: Path, where: str, expected: int, process: asyncio.subprocess.Process) -> None:
    """Wait until `expected` deliveries match `where`, or fail if the process ends or stalls."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while count(db, where) != expected:
        if process.returncode is not None:
            raise AssertionError(f"the bot process ended early ({process.returncode})")
        if loop.time() > deadline:
            raise AssertionError(f"{count(db, where)} deliveries with {where}, not {expected}")
        # Another process writes the database: there is no event to await, so look again.
        await asyncio.sleep(0.05)


async def kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(process.wait(), WAIT) == -signal.SIGKILL


def log_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(encoding="utf-8")
