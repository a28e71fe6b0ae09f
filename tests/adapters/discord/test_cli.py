"""`coalition-bot discord invite-url`, the `run` options, and what never reaches the logs."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.cli import main
from adapters.discord import cli as discord_cli
from storage import Storage
from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord import FakeDiscord

# View channels, send messages, embed links, attach files.
# View Channels, Send Messages, Embed Links, Attach Files; Manage Threads, Create Public
# Threads, Send Messages in Threads (discussions).
EXPECTED_PERMISSIONS = (
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 34) | (1 << 35) | (1 << 38)
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.chdir(tmp_path)  # no config.toml of the developer's
    for name in ("DISCORD_TOKEN", "DISCORD_APPLICATION_ID", "DISCORD_GUILD_IDS", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # main() sets up logging for a terminal; give the next tests theirs back.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield monkeypatch
    root.handlers[:], root.level = handlers, level


def printed_url(out: str) -> dict[str, list[str]]:
    (url,) = [line for line in out.splitlines() if line.startswith("https://")]
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("discord.com", "/oauth2/authorize")
    return parse_qs(parts.query)


def test_invite_url_has_exactly_the_scopes_and_permissions_needed(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["discord", "invite-url", "--application-id", "123456789012345678"]) == 0
    query = printed_url(capsys.readouterr().out)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    assert query["permissions"] == [str(EXPECTED_PERMISSIONS)]
    assert discord_cli.permissions().value == EXPECTED_PERMISSIONS


def test_invite_url_takes_the_id_from_the_environment_and_preselects_the_server(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_APPLICATION_ID", "42")
    clean_env.setenv("DISCORD_GUILD_IDS", "777")
    assert main(["discord", "invite-url"]) == 0
    query = printed_url(capsys.readouterr().out)
    assert query["client_id"] == ["42"] and query["guild_id"] == ["777"]


def test_invite_url_without_an_id_says_where_to_find_it(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["discord", "invite-url"]) == 2
    said = capsys.readouterr().err
    assert "--application-id" in said and "DISCORD_APPLICATION_ID" in said


async def test_the_application_id_can_be_asked_of_discord(fake: FakeDiscord) -> None:
    assert await discord_cli.fetch_application_id(fake.token) == fake.application_id


def test_run_without_a_server_id_says_how_to_find_one(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_TOKEN", "not-a-real-token")
    assert main(["run"]) == 2
    said = capsys.readouterr().err
    assert "DISCORD_GUILD_IDS" in said and "Copy Server ID" in said
    assert "not-a-real-token" not in said


def test_servers_come_from_options_or_the_environment() -> None:
    args = argparse.Namespace(discord_guilds=["1,2", "3"], discord_global_sync=False)
    assert discord_cli.settings(args, {"DISCORD_GUILD_IDS": "9"}).guild_ids == (1, 2, 3)
    none_given = argparse.Namespace(discord_guilds=None, discord_global_sync=False)
    assert discord_cli.settings(none_given, {"DISCORD_GUILD_IDS": " 9, 10 "}).guild_ids == (9, 10)
    with pytest.raises(ValueError, match="'my-server' is not one"):
        discord_cli.settings(none_given, {"DISCORD_GUILD_IDS": "my-server"})
    everywhere = argparse.Namespace(discord_guilds=None, discord_global_sync=True)
    assert discord_cli.settings(everywhere, {}).global_sync


async def test_the_global_sync_registers_once_for_every_server(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    async with running_bot(fake, sqlite):
        pass  # an earlier start synced the commands to the server
    synced = [c["name"] for c in fake.guild_commands[fake.guild.id]]
    assert "coalition" in synced and "meeting" in synced
    async with running_bot(fake, sqlite, global_sync=True) as bot:
        answered = await bot.command("help")
    assert [c["name"] for c in fake.global_commands] == synced
    assert fake.guild_commands[fake.guild.id] == []  # the per-server copy is gone
    assert answered.type == 4


async def test_the_token_never_reaches_the_logs(
    fake: FakeDiscord, sqlite: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with running_bot(fake, sqlite) as bot:
            await bot.command("help")
            await bot.command(
                "join",
                {"name": "Alice", "organization": "X", "discipline": "Nursing", "region": "West"},
            )
    assert "discord" in caplog.text  # discord.py did log, at debug level
    assert fake.token not in caplog.text
