"""Discord cannot be reached or refuses the token: one sentence, and the other platforms go on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters import run_cli
from adapters.bootstrap import build_app
from adapters.cli import main
from adapters.discord.client import DiscordSettings
from adapters.discord.runner import DiscordRunner
from adapters.slack.runner import SlackRunner
from bot.config import Config, Secrets
from storage import Storage
from tests.adapters.discord.conftest import WAIT
from tests.adapters.slack.harness import settings_for
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack


@pytest.fixture
def workdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, discord_env: None
) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.chdir(tmp_path)
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "COALITION_CONFIG",
        "DISCORD_APPLICATION_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_GUILD_IDS", "123")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield monkeypatch
    root.handlers[:], root.level = handlers, level


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def said(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text and 'File "' not in text
    return text


@pytest.mark.parametrize("command", [["run"], ["discord", "invite-url"]])
def test_no_network_is_said_as_such_not_as_a_database_problem(
    workdir: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    port = closed_port()
    workdir.setenv("DISCORD_TOKEN", "a.discord.token")
    workdir.setenv("DISCORD_API_URL", f"http://127.0.0.1:{port}/api/v10")
    workdir.setenv("DISCORD_GATEWAY_URL", f"ws://127.0.0.1:{port}/")
    assert main(command) == 1
    out = said(capsys)
    assert f"Cannot reach Discord (Cannot connect to host 127.0.0.1:{port}" in out
    assert "internet connection" in out
    assert "database" not in out


async def test_a_refused_token_is_said_once(
    workdir: pytest.MonkeyPatch, fake: FakeDiscord, capsys: pytest.CaptureFixture[str]
) -> None:
    workdir.setenv("DISCORD_TOKEN", "not-the-token")
    assert await asyncio.to_thread(main, ["run"]) == 1
    out = said(capsys)
    assert "Discord did not accept DISCORD_TOKEN" in out and "Reset Token" in out
    assert "not-the-token" not in out


async def test_slack_keeps_serving_when_discord_cannot_start(
    fake: FakeDiscord, sqlite: Storage, capsys: pytest.CaptureFixture[str]
) -> None:
    app = build_app(Config(), Secrets(), storage=sqlite)
    refused = DiscordRunner(SecretStr("not-the-token"), DiscordSettings(guild_ids=(fake.guild.id,)))
    async with FakeSlack() as slack:
        slack_runner = SlackRunner(settings_for(slack, signing_secret=None))
        serving = asyncio.gather(
            run_cli.serve_platform(refused, app, 2), run_cli.serve_platform(slack_runner, app, 2)
        )
        try:
            await slack.wait_connected(WAIT)
            envelope = await slack.send_envelope("slash_commands", slack.slash_command(text="help"))
            answer, _ = await slack.wait_ack(envelope, timeout=WAIT)
            assert answer is not None and "What I can do" in answer["text"]
            assert app.broadcaster.platforms == ["slack"]
        finally:
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving
    out = said(capsys)
    assert "Discord did not accept DISCORD_TOKEN" in out
    assert "keeps running without Discord" in out
