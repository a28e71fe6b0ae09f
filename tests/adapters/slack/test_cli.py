"""`coalition-bot slack manifest` and the Slack options of `coalition-bot run`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from adapters.cli import main
from adapters.slack import cli as slack_cli
from adapters.slack.manifest import BOT_SCOPES, manifest
from adapters.slack.runner import SlackRunner
from bot.catalogue import Catalogue, Command, Option, OptionKind
from bot.config import Config, Secrets
from bot.messages import Reply
from bot.registry import build_catalogue


def _print_manifest(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["slack", "manifest", *extra]) == 0
    data: dict[str, Any] = yaml.safe_load(capsys.readouterr().out)
    return data


def test_manifest_is_yaml_for_socket_mode_with_the_command_and_scopes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no config.toml: the built-in defaults
    data = _print_manifest(capsys)
    (command,) = data["features"]["slash_commands"]
    assert command["command"] == "/coalition"
    assert command["should_escape"] is True
    assert "url" not in command
    assert data["settings"]["interactivity"] == {"is_enabled": True}
    assert data["settings"]["socket_mode_enabled"] is True
    assert set(data["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    assert {"commands", "chat:write", "im:write", "users:read"} <= set(BOT_SCOPES)
    assert data["display_information"]["name"] == "Our Coalition"

    # Derived from the catalogue: every command is in the hint; help's words describe it.
    catalogue = build_catalogue()
    for path in catalogue.commands:
        assert " ".join(path) in command["usage_hint"]
    help_command = catalogue.command(("help",))
    assert help_command is not None and command["description"] == help_command.help


def test_manifest_for_http_mode_points_slack_at_the_events_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    data = _print_manifest(capsys, "--url", "https://bot.example.org/")
    url = "https://bot.example.org/slack/events"
    assert data["features"]["slash_commands"][0]["url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["settings"]["interactivity"]["message_menu_options_url"] == url
    assert data["settings"]["socket_mode_enabled"] is False


def test_a_command_added_to_the_catalogue_appears_in_the_manifest() -> None:
    async def handler(ctx: Any, args: Any) -> Reply:
        return Reply()

    added = Command(
        ("meeting", "schedule"),
        "Schedule a learning session",
        handler,
        (Option("title", OptionKind.TEXT, "What it is about"),),
    )
    help_command = Command(("help",), "Everything this bot does", handler)
    data = manifest(Catalogue((help_command, added), ()), Config())
    (command,) = data["features"]["slash_commands"]
    assert command["usage_hint"] == "help | meeting schedule"
    assert command["description"] == "Everything this bot does"


def _args(mode: str = "socket", port: int = 3000) -> argparse.Namespace:
    return argparse.Namespace(slack_mode=mode, port=port)


def test_runner_needs_the_bot_token_and_the_modes_other_secret() -> None:
    bot = SecretStr("xoxb-1")
    assert slack_cli.runner(_args(), Secrets()) is None  # Slack not configured: not started

    with pytest.raises(ValueError, match="SLACK_APP_TOKEN is not"):
        slack_cli.runner(_args(), Secrets(slack_bot_token=bot))
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET is not set"):
        slack_cli.runner(_args("http"), Secrets(slack_bot_token=bot))

    socket = slack_cli.runner(
        _args(), Secrets(slack_bot_token=bot, slack_app_token=SecretStr("xapp-1"))
    )
    assert isinstance(socket, SlackRunner) and socket.settings.mode == "socket"
    http = slack_cli.runner(
        _args("http", 8080), Secrets(slack_bot_token=bot, slack_signing_secret=SecretStr("s3"))
    )
    assert isinstance(http, SlackRunner)
    assert (http.settings.mode, http.settings.port) == ("http", 8080)


def test_run_explains_a_missing_slack_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run", "--slack-mode", "socket"]) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err


def test_the_api_url_comes_from_slack_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    secrets = Secrets(slack_bot_token=SecretStr("xoxb-1"), slack_app_token=SecretStr("xapp-1"))
    runner = slack_cli.runner(_args(), secrets)
    assert isinstance(runner, SlackRunner)
    assert runner.settings.api_url == "http://127.0.0.1:9/api/"
