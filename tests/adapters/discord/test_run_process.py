"""`coalition-bot run` as a process, with Discord (the fake): its HTTP port and JSON log."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.adapters.ops_client import sample, scrape, until_ready
from tests.fakes.discord import FakeDiscord

ROOT = Path(__file__).parents[3]
PATIENCE = 60.0  # a safety net for a hung process; each wait ends when its line comes
READY_LINE = "Health, readiness and metrics: "


async def test_run_serves_readiness_and_metrics_and_logs_json(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[http]\nhost = "127.0.0.1"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        DISCORD_TOKEN=fake.token,
        DISCORD_GUILD_IDS=str(fake.guild.id),
        COALITION_CONFIG=str(config),
        COALITION_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    # Popen, read in threads: the test's event loop watches no child processes.
    process = subprocess.Popen(  # noqa: ASYNC220 (started once; nothing else waits on it)
        [sys.executable, "-m", "adapters.cli", "-v", "run", "--port", "0", "--log-format", "json"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    errors = asyncio.create_task(asyncio.to_thread(process.stderr.read))
    try:
        async with asyncio.timeout(PATIENCE):
            line = ""
            while not line.startswith(READY_LINE):
                line = await asyncio.to_thread(process.stdout.readline)
                assert line, "the bot stopped before serving HTTP"
            url = line.removeprefix(READY_LINE).strip().removesuffix("/readyz")
            url = url.replace("localhost", "127.0.0.1")
            async with aiohttp.ClientSession() as session:
                body = await until_ready(session, url)  # once Discord is connected
                assert body["checks"]["discord"] == {"ok": True} and body["leader"] is True
                samples = await scrape(session, url)
                assert sample(samples, "coalition_scheduler_leader") == 1
            process.send_signal(signal.SIGINT)  # as systemd stops it (KillSignal=SIGINT)
            assert await asyncio.to_thread(process.wait) == 130
            logged = (await errors).splitlines()
    finally:
        if process.returncode is None:
            process.kill()
            process.wait()
        await asyncio.gather(errors, return_exceptions=True)
    assert logged, "with -v the bot logs its start"
    for line in logged:
        record = json.loads(line)  # every line is one JSON object
        assert {"time", "level", "logger", "message"} <= record.keys()
