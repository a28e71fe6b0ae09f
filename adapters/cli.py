"""The `coalition-bot` command: run, console, db upgrade, config check, export resources."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url

from adapters.bootstrap import App, build_app, tune_gc
from adapters.discord import cli as discord_cli
from adapters.logs import configure_logging
from adapters.slack import cli as slack_cli
from bot.config import Config, ConfigError, Secrets, load_config
from bot.resources.export import FORMATS, export_library
from storage import Storage

PLATFORMS = (slack_cli, discord_cli)

CONNECT_HINT = (
    "No Slack or Discord tokens are set, so I'm opening the terminal. To connect Slack, set "
    "SLACK_BOT_TOKEN and SLACK_APP_TOKEN; for Discord, set DISCORD_TOKEN (see README.md)."
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    secrets = Secrets.from_env(os.environ)
    configure_logging(secrets, logging.DEBUG if args.verbose else logging.WARNING)
    try:
        config, _ = load_config(os.environ)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    handler = args.handler
    result: int = handler(args, config, secrets)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coalition-bot", description="A community bot for coalitions of health departments."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="start the platforms whose tokens are set")
    run.set_defaults(handler=_run)
    for platform in PLATFORMS:
        platform.add_commands(commands, run)

    console = commands.add_parser("console", help="use the bot in this terminal")
    console.add_argument("--as", dest="user", default="admin", help="who you are at first")
    console.set_defaults(handler=_console)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(title="db commands", metavar="DB_COMMAND", required=True)
    db_commands.add_parser("upgrade", help="bring the schema up to date").set_defaults(
        handler=_db_upgrade
    )

    export = commands.add_parser("export", help="write data out for other uses")
    export_commands = export.add_subparsers(metavar="WHAT", required=True)
    resources = export_commands.add_parser(
        "resources", help="the approved resource library, for a website or a spreadsheet"
    )
    resources.add_argument("--format", choices=FORMATS, default="csv", help="csv (default) or json")
    resources.add_argument("--output", metavar="PATH", help="a file to write (default: the screen)")
    resources.set_defaults(handler=_export_resources)

    config = commands.add_parser("config", help="configuration")
    config_commands = config.add_subparsers(metavar="CONFIG_COMMAND", required=True)
    config_commands.add_parser("check", help="validate the configuration").set_defaults(
        handler=_config_check
    )
    return parser


def _run(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    try:
        runners = [r for p in PLATFORMS if (r := p.runner(args, secrets)) is not None]
    except ValueError as error:  # a platform's settings are incomplete; it says which
        print(error, file=sys.stderr)
        return 2
    if not runners:
        print(CONNECT_HINT)
        return _console(args, config, secrets)

    async def serve(app: App) -> None:
        print(f"Connecting to {', '.join(r.platform for r in runners)}. Press Ctrl+C to stop.")
        tune_gc()
        await asyncio.gather(*(r.run(app) for r in runners))

    return _with_app(config, secrets, serve)


def _console(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    from adapters.console.logfile import keep_log_out_of_chat
    from adapters.console.repl import run_console
    from adapters.console.terminal import LineReader

    log = keep_log_out_of_chat(config.database.url, Path.cwd())
    reader = LineReader(sys.stdin, sys.stdout)

    async def go(app: App) -> None:
        await run_console(app, reader, user=getattr(args, "user", "admin"), log=log)

    # The bot runs in a thread; this one reads the person's lines (see terminal.py).
    return reader.serve(lambda: _with_app(config, secrets, go))


def _db_upgrade(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    async def go(app: App) -> None:
        print(f"Database {app.storage.describe()} is up to date.")

    return _with_app(config, secrets, go)


def _with_app(config: Config, secrets: Secrets, work: Callable[[App], Awaitable[None]]) -> int:
    async def main() -> None:
        app = build_app(config, secrets)
        try:
            await app.start()
            await work(app)
        finally:
            await app.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"Could not open the database: {error}", file=sys.stderr)
        return 1
    return 0


def _export_resources(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    # Only the database: a one-off export starts no platform and no scheduler.
    storage = Storage.from_config(config.database.url, secrets.database_password)

    async def go(out: TextIO) -> int:
        try:
            await storage.upgrade()
            return await export_library(storage.unit_of_work, args.format, out)
        finally:
            await storage.dispose()

    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = asyncio.run(go(out))
            print(f"Wrote {count} resources to {args.output}.", file=sys.stderr)
        else:
            asyncio.run(go(sys.stdout))
    except OSError as error:
        print(f"Could not export: {error}", file=sys.stderr)
        return 1
    return 0


def _config_check(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    _, source = load_config(os.environ)
    print(f"Configuration: {source or 'built-in defaults (no config.toml found)'} is valid.")
    print(f"  Coalition: {config.coalition.name} ({config.coalition.timezone})")
    print(f"  Database: {make_url(config.database.url).render_as_string(hide_password=True)}")
    missing = []
    if not config.admins:
        missing.append("No admins are set: add [admins] to grant the coordinator role.")
    if not secrets.slack_bot_token and not secrets.discord_token:
        missing.append(
            "No platform tokens: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN for Slack, or "
            "DISCORD_TOKEN for Discord. Without them the bot runs in the terminal."
        )
    if secrets.slack_bot_token and not secrets.slack_app_token:
        missing.append(
            "SLACK_BOT_TOKEN is set but SLACK_APP_TOKEN is not (needed for Socket Mode)."
        )
    for line in missing:
        print(f"  - {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
