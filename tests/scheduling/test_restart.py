"""Killed with SIGKILL mid-stream and restarted on the same SQLite file: nothing lost, nothing twice.

Three real processes in turn, each with its clock placed where the story needs it:
1. at 15:00 twelve reminders fall due in #a; killed after four were posted;
2. at 15:01 a fresh process finishes the other eight (the dead one's claims time out);
3. at 15:30, after downtime: #b's reminders (due 15:20, 10 minutes late) are sent
   marked late; #c's (due 15:10, 20 minutes late, beyond the 15-minute grace) are
   skipped and logged, not flooded into the channel.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.identity import Identity
from bot.meetings.model import Meeting
from bot.membership.model import Profile
from storage import Storage
from storage.database import database_url

ROOT = Path(__file__).parents[2]
M = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
WAIT = 60.0  # seconds before a stuck process fails the test (never reached when it works)


async def seed(db: Path) -> None:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{db}"))
    await storage.upgrade()
    created = M - timedelta(days=2)  # long ago: no announcements in this story
    async with storage.unit_of_work() as uow:
        admin = await uow.members.add(
            Profile("Dana", "HQ"), Identity("console", "local", "admin"), pending=False, at=created
        )
        plan = [
            ("a", M, 12),
            ("c", M + timedelta(minutes=10), 3),
            ("b", M + timedelta(minutes=20), 3),
        ]
        for channel, start, count in plan:
            for n in range(count):
                meeting = Meeting(
                    0,
                    f"{channel}-{n}",
                    start.replace(tzinfo=None),
                    "UTC",
                    30,
                    channel,
                    reminders=(),
                    created_by=admin.id,
                )
                await uow.meetings.add(meeting, at=created)
        await uow.commit()
    await storage.dispose()


def count(db: Path, where: str) -> int:
    with sqlite3.connect(db, timeout=10) as connection:
        return int(
            connection.execute(f"SELECT count(*) FROM meeting_deliveries WHERE {where}").fetchone()[
                0
            ]
        )


def start(tmp_path: Path, clock: datetime, delay: float) -> subprocess.Popen[str]:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n'
        "[meetings]\ngrace_minutes = 15\nclaim_timeout_seconds = 1\n"
        "sweep_seconds = 1\nleader_check_seconds = 1\n"
    )
    env = {
        **os.environ,
        "COALITION_CONFIG": str(config),
        "BOT_CLOCK_START": clock.isoformat(),
        "BOT_POSTS": str(tmp_path / "posts.jsonl"),
        "BOT_POST_DELAY": str(delay),
        "BOT_SWEEPS": str(tmp_path / "sweeps"),
    }
    env.pop("COALITION_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduling.bot_process"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if process.poll() is not None:
            raise AssertionError(
                f"the bot process ended early: {process.stderr.read() if process.stderr else ''}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the bot process did not get there in time")
        time.sleep(0.02)


def kill(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGKILL)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return errors


def sweeps(tmp_path: Path) -> int:
    """How many reminder sweeps the running bot has ended (tests/scheduling/bot_process.py)."""
    path = tmp_path / "sweeps"
    return int(path.read_text(encoding="utf-8")) if path.exists() else 0


def posts(tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "posts.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines]


def test_killed_mid_stream_then_restarted_sends_each_reminder_once(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    asyncio.run(seed(db))

    first = start(tmp_path, M - timedelta(seconds=2), delay=0.3)
    wait_for(lambda: count(db, "status = 'sent'") >= 4, first)
    kill(first)  # the fifth post is in flight: claimed, not posted
    posted_before = len(posts(tmp_path))
    assert posted_before == count(db, "status = 'sent'") < 12
    assert count(db, "status = 'claimed'") == 12 - posted_before

    second = start(tmp_path, M + timedelta(minutes=1), delay=0.02)
    wait_for(lambda: count(db, "status = 'sent'") == 12, second)
    kill(second)

    third = start(tmp_path, M + timedelta(minutes=30), delay=0.02)
    wait_for(lambda: count(db, "status IN ('sent', 'skipped')") == 18, third)
    # Two more sweeps end (the first may have been running): one began after the
    # last delivery, and found nothing to send again.
    swept = sweeps(tmp_path)
    wait_for(lambda: sweeps(tmp_path) >= swept + 2, third)
    errors = kill(third)

    everything = posts(tmp_path)
    per_meeting = Counter(p["text"].splitlines()[0] for p in everything)
    assert all(n == 1 for n in per_meeting.values()), per_meeting
    channels = Counter(p["to"] for p in everything)
    assert channels == {"#a": 12, "#b": 3}
    assert all("This reminder is late" in p["text"] for p in everything if p["to"] == "#b")
    assert count(db, "status = 'skipped'") == 3
    assert "skipped remind" in errors  # logged, once for each
    assert errors.count("skipped remind") == 3
