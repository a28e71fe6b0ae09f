"""The `coalition-bot` command: its parser, config check and export; run, console and
db upgrade (adapters/run_cli.py), status (adapters/status_cli.py), members
(adapters/members_cli.py), meetings import-attendance (adapters/attendance_cli.py), report
sessions (adapters/reports_cli.py)."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from sqlalchemy import text
from sqlalchemy.engine import URL

from adapters import attendance_cli, members_cli, reports_cli, run_cli, status_cli
from adapters.logs import LOG_FORMATS, configure_logging
from bot.config import Config, ConfigError, Secrets, load_config
from bot.resources.export import FORMATS, export_library
from storage import Storage
from storage.migrate import current_heads
from storage.problems import (
    WHERE,
    DatabaseProblem,
    checked_url,
    explain,
    missing_file,
    sqlite_unusable,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    secrets = Secrets.from_env(os.environ)
    configure_logging(
        secrets,
        logging.DEBUG if args.verbose else logging.WARNING,
        form=getattr(args, "log_format", "text"),
    )
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
    run.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default="text",
        help="text (default), or json: one JSON object a line, for a log collector",
    )
    run.add_argument(
        "--port",
        type=int,
        metavar="N",
        help="the HTTP port for /healthz, /readyz, /metrics and Slack's HTTP mode "
        "(default: [http] port in config.toml, 8080)",
    )
    run.set_defaults(handler=run_cli.run)
    for platform in run_cli.PLATFORMS:
        platform.add_commands(commands, run)

    status = commands.add_parser(
        "status", help="say whether reminders and digests are going out (exit 1 if stuck)"
    )
    status.add_argument(
        "--days", type=int, default=7, metavar="N", help="look back this many days (default 7)"
    )
    status.set_defaults(handler=status_cli.status)

    console = commands.add_parser("console", help="use the bot in this terminal")
    console.add_argument("--as", dest="user", default="admin", help="who you are at first")
    console.set_defaults(handler=run_cli.console)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(title="db commands", metavar="DB_COMMAND", required=True)
    db_commands.add_parser("upgrade", help="bring the schema up to date").set_defaults(
        handler=run_cli.db_upgrade
    )

    export = commands.add_parser("export", help="write data out for other uses")
    export_commands = export.add_subparsers(metavar="WHAT", required=True)
    resources = export_commands.add_parser(
        "resources", help="the approved resource library, for a website or a spreadsheet"
    )
    resources.add_argument("--format", choices=FORMATS, default="csv", help="csv (default) or json")
    resources.add_argument("--output", metavar="PATH", help="a file to write (default: the screen)")
    resources.add_argument(
        "--no-bom",
        action="store_true",
        help="leave out the byte order mark that tells Excel a CSV is UTF-8 (for other tools)",
    )
    resources.set_defaults(handler=_export_resources)

    members_cli.add_commands(commands)
    attendance_cli.add_commands(commands)
    reports_cli.add_commands(commands)

    config = commands.add_parser("config", help="configuration")
    config_commands = config.add_subparsers(metavar="CONFIG_COMMAND", required=True)
    check = config_commands.add_parser("check", help="validate the configuration")
    check.add_argument(
        "--connect", action="store_true", help="also check that the database answers"
    )
    check.set_defaults(handler=_config_check)
    return parser


def _export_resources(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    # Only the database: a one-off export starts no platform and no scheduler.
    try:
        url = checked_url(config.database.url, secrets.database_password)
        missing_file(url)  # opening a SQLite file that is not there would create it
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    storage = Storage(url)
    # Excel reads a CSV without a byte order mark in the computer's old code page, which
    # garbles every accent; with it, Excel and other spreadsheets read it as UTF-8. A
    # terminal has no use for it; `> library.csv` does.
    to_terminal = not args.output and sys.stdout.isatty()
    bom = args.format == "csv" and not args.no_bom and not to_terminal
    encoding = "utf-8-sig" if bom else "utf-8"

    async def go(out: Callable[[], TextIO]) -> int:
        try:
            await _existing_schema(storage, url)
            with out() as opened:
                return await export_library(storage.unit_of_work, args.format, opened)
        finally:
            await storage.dispose()

    def to_file() -> TextIO:
        return open(args.output, "w", encoding=encoding, newline="")

    def to_screen() -> TextIO:
        return _Borrowed(sys.stdout.buffer, encoding=encoding, newline="")

    try:
        count = asyncio.run(go(to_file if args.output else to_screen))
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Could not write the export: {error}. Choose another --output.", file=sys.stderr)
        return 1
    if args.output:
        print(f"Wrote {count} resources to {args.output}.", file=sys.stderr)
    return 0


class _Borrowed(io.TextIOWrapper):
    """The screen's bytes in our encoding; closing it leaves the screen open."""

    def close(self) -> None:
        self.flush()
        self.detach()


async def _existing_schema(storage: Storage, url: URL) -> None:
    """The bot's tables, brought up to date; DatabaseProblem if there are none to read."""
    try:
        if not await current_heads(storage.engine):
            raise DatabaseProblem(
                f"The database {storage.describe()} holds no coalition-bot data: it has never "
                f"been used by the bot. Run the export where the bot runs, or set {WHERE} "
                "to the bot's database."
            )
        await storage.upgrade()
    except DatabaseProblem:
        raise
    except Exception as error:
        sentence = explain(error, url)
        if sentence is None:
            raise
        raise DatabaseProblem(sentence) from None


def _config_check(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    _, source = load_config(os.environ)
    try:
        url = checked_url(config.database.url, secrets.database_password)
    except DatabaseProblem as problem:
        print(f"Configuration: {source or 'built-in defaults'} is not usable.", file=sys.stderr)
        print(f"  - {problem}", file=sys.stderr)
        return 1
    unanswered = asyncio.run(_database_answers(url)) if args.connect else None
    if unanswered is not None:
        print(f"Configuration: {source or 'built-in defaults'} is valid, but:", file=sys.stderr)
        print(f"  - {unanswered}", file=sys.stderr)
        return 1
    print(f"Configuration: {source or 'built-in defaults (no config.toml found)'} is valid.")
    print(f"  Coalition: {config.coalition.name} ({config.coalition.timezone})")
    reached = " (checked)" if args.connect else ""
    print(f"  Database: {url.render_as_string(hide_password=True)}{reached}")
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
    if not args.connect:
        missing.append("Add --connect to check that the database answers.")
    for line in missing:
        print(f"  - {line}")
    return 0


async def _database_answers(url: URL) -> str | None:
    """Why the database does not answer, or None if it does. Never creates a SQLite file."""
    if url.get_backend_name() == "sqlite":
        return sqlite_unusable(url)
    storage = Storage(url)
    try:
        async with storage.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        sentence = explain(error, url)
        if sentence is None:
            raise
        return sentence
    finally:
        await storage.dispose()
    return None


if __name__ == "__main__":
    raise SystemExit(main())
