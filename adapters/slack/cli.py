"""Slack's part of the coalition-bot command (see adapters/platform.py)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from adapters.platform import Runner
from bot.config import Config, Secrets

DEFAULT_PORT = 3000

MISSING_APP_TOKEN = (
    "SLACK_BOT_TOKEN is set but SLACK_APP_TOKEN is not. Socket Mode (the default) needs both: "
    "in your Slack app's settings open Basic Information > App-Level Tokens, generate a token "
    "with the connections:write scope, and set SLACK_APP_TOKEN to it (it starts with xapp-). "
    "Or run with --slack-mode http and set SLACK_SIGNING_SECRET."
)
MISSING_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set. HTTP mode needs it to check that requests come from "
    "Slack: copy it from your Slack app's Basic Information > App Credentials > Signing Secret "
    "and set SLACK_SIGNING_SECRET to it. Or leave out --slack-mode http to use Socket Mode."
)


def add_commands(commands: Any, run_parser: argparse.ArgumentParser) -> None:
    """Slack's subcommands and its options for `coalition-bot run`."""
    slack = commands.add_parser("slack", help="Slack set-up")
    slack_commands = slack.add_subparsers(metavar="SLACK_COMMAND", required=True)
    manifest = slack_commands.add_parser(
        "manifest", help="print the Slack app manifest (YAML) to paste into Create an app"
    )
    manifest.add_argument(
        "--url",
        metavar="URL",
        help="for HTTP mode: the bot's public base URL, e.g. https://bot.example.org "
        "(Slack will call URL/slack/events); leave out for Socket Mode",
    )
    manifest.set_defaults(handler=_print_manifest)
    run_parser.add_argument(
        "--slack-mode",
        choices=("socket", "http"),
        default="socket",
        help="how Slack reaches the bot: socket (default, needs SLACK_APP_TOKEN, no public "
        "address) or http (needs SLACK_SIGNING_SECRET and a public HTTPS address)",
    )


def runner(args: argparse.Namespace, secrets: Secrets) -> Runner | None:
    """The Slack runner when SLACK_BOT_TOKEN is set; a ValueError says what else is missing."""
    if secrets.slack_bot_token is None:
        return None
    from adapters.slack.app import SlackSettings
    from adapters.slack.runner import SlackRunner

    mode = getattr(args, "slack_mode", "socket")
    if mode == "socket" and secrets.slack_app_token is None:
        raise ValueError(MISSING_APP_TOKEN)
    if mode == "http" and secrets.slack_signing_secret is None:
        raise ValueError(MISSING_SIGNING_SECRET)
    settings = SlackSettings(
        bot_token=secrets.slack_bot_token.get_secret_value(),
        app_token=_reveal(secrets.slack_app_token),
        signing_secret=_reveal(secrets.slack_signing_secret),
        mode=mode,
        # `run --port` (adapters/cli.py): HTTP mode shares the bot's one HTTP port.
        port=DEFAULT_PORT if getattr(args, "port", None) is None else args.port,
        api_url=os.environ.get("SLACK_API_URL", "").strip() or None,
    )
    return SlackRunner(settings)


def _reveal(secret: Any) -> str | None:
    return None if secret is None else str(secret.get_secret_value())


def _print_manifest(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    from adapters.slack.manifest import manifest_yaml
    from bot.registry import build_catalogue

    print(manifest_yaml(build_catalogue(), config, request_url=args.url), end="")
    return 0
