"""A bot process for the restart test: the real App and scheduler, with two test seams.

- The clock starts at BOT_CLOCK_START and runs at real speed, so a test can
  place "now" just before a reminder instead of waiting for it.
- The platform is a file: each post is appended to BOT_POSTS as one JSON line,
  after BOT_POST_DELAY seconds (a slow platform), so a test can kill the
  process while a post is in flight.
- BOT_SWEEPS, if set, is a file that holds how many reminder sweeps have ended,
  so a test can wait for sweeps that would have sent a duplicate.

    python -m tests.scheduling.bot_process   (COALITION_CONFIG names the config)
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

from adapters.bootstrap import App, build_app
from bot.config import Secrets, load_config
from bot.identity import Identity
from bot.messages import Message
from bot.ports import PostedMessage


class OffsetClock:
    def __init__(self, start: datetime) -> None:
        self.start = start
        self.began = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)

    def jump(self, delta: timedelta) -> None:
        """Skip ahead, as if that much time passed at once."""
        self.start += delta


class FilePoster:
    platform = "console"

    def __init__(self, path: Path, delay: float) -> None:
        self.path = path
        self.delay = delay
        self.count = 0

    async def _write(self, where: str, message: Message) -> PostedMessage:
        await asyncio.sleep(self.delay)
        self.count += 1
        line = json.dumps({"to": where, "text": message.fallback_text(), "pid": os.getpid()})
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return PostedMessage(self.platform, where, f"{os.getpid()}-{self.count}")

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        return await self._write(f"#{channel}", message)

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        return await self._write(f"@{identity.user_id}", message)


def replace_text(path: Path, text: str) -> None:
    """Whole or not at all: a reader never sees the file half written."""
    partial = path.with_suffix(".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def count_sweeps(app: App, path: Path) -> None:
    scheduler = app.scheduler
    assert scheduler is not None
    written = -1

    async def note() -> None:
        nonlocal written
        if scheduler.sweeps != written:
            written = scheduler.sweeps
            replace_text(path, str(written))

    app.every(0.02, note, name="count-sweeps", leader_only=False)


async def main() -> None:
    config, _ = load_config(os.environ)
    clock = OffsetClock(datetime.fromisoformat(os.environ["BOT_CLOCK_START"]))
    app = build_app(config, Secrets(), clock=clock)
    await app.start()
    app.broadcaster.connect(
        FilePoster(Path(os.environ["BOT_POSTS"]), float(os.environ.get("BOT_POST_DELAY", "0")))
    )
    if "BOT_SWEEPS" in os.environ:
        count_sweeps(app, Path(os.environ["BOT_SWEEPS"]))
    print("ready", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
