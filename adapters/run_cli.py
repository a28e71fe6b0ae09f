"""`coalition-bot run`, `console` and `db upgrade`: the commands that start the bot.

with_app opens the database and the app for any command that needs the whole bot, and
turns what stops it into one sentence and an exit status (adapters/cli.py parses).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

from sqlalchemy.engine import URL

from adapters.bootstrap import App, build_app, tune_gc
from adapters.discord import cli as discord_cli
from adapters.operations import operations
from adapters.platform import PlatformProblem, Runner
from adapters.slack import cli as slack_cli
from adapters.web.serve import web_pages
from bot.config import Config, Secrets
from storage.problems import DatabaseProblem, checked_url, explain, sqlite_unusable

PLATFORMS = (slack_cli, discord_cli)
log = logging.getLogger(__name__)

CONNECT_HINT = (
    "No Slack or Discord tokens are set, so I'm opening the terminal. To connect Slack, set "
    "SLACK_BOT_TOKEN and SLACK_APP_TOKEN; for Discord, set DISCORD_TOKEN (see README.md)."
)


def run(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    if getattr(args, "port", None) is None:  # one port for the probes and Slack's HTTP mode
        args.port = config.http.port
    try:
        runners = [r for p in PLATFORMS if (r := p.runner(args, secrets)) is not None]
    except ValueError as error:  # a platform's settings are incomplete; it says which
        print(error, file=sys.stderr)
        return 2
    if not runners:
        print(CONNECT_HINT)
        return console(args, config, secrets)

    async def serve(app: App) -> None:
        print(f"Connecting to {', '.join(r.platform for r in runners)}. Press Ctrl+C to stop.")
        tune_gc()
        async with web_pages(app):
            serving = await asyncio.gather(*(serve_platform(r, app, len(runners)) for r in runners))
        if not any(serving):
            raise CannotContinue("No platform is left to serve, so the bot stops.")

    if not config.http.enabled:
        return with_app(config, secrets, serve)

    async def serve_http(app: App) -> None:
        async with AsyncExitStack() as stack:
            try:
                server = await stack.enter_async_context(
                    operations(app, runners, config.http.host, args.port)
                )
            except OSError as error:
                raise CannotContinue(
                    f"Cannot listen on port {args.port} ({error.strerror or error}): another "
                    "program uses it. Choose another with --port N or [http] port in config.toml."
                ) from None
            print(f"Health, readiness and metrics: http://{_host(config)}:{server.port}/readyz")
            await serve(app)

    return with_app(config, secrets, serve_http)


def _host(config: Config) -> str:
    return "localhost" if config.http.host in {"0.0.0.0", "::", ""} else config.http.host


async def serve_platform(runner: Runner, app: App, runners: int) -> bool:
    """Serve one platform; if it cannot, say why and let the others go on. False if it stopped."""
    name = runner.platform.capitalize()
    try:
        await runner.run(app)
    except PlatformProblem as problem:
        print(problem, file=sys.stderr)
    except Exception:
        log.exception("%s stopped", name)
        print(f"{name} stopped because of an unexpected error (above).", file=sys.stderr)
    else:
        return True
    if runners > 1:
        print(
            f"The bot keeps running without {name} (the other platforms, reminders and "
            "digests go on). Fix the above and restart to bring it back.",
            file=sys.stderr,
        )
    return False


def console(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    from adapters.console.logfile import keep_log_out_of_chat
    from adapters.console.repl import run_console
    from adapters.console.terminal import LineReader

    log = keep_log_out_of_chat(config.database.url, Path.cwd())
    reader = LineReader(sys.stdin, sys.stdout)

    async def go(app: App) -> None:
        async with web_pages(app):
            await run_console(app, reader, user=getattr(args, "user", "admin"), log=log)

    # The bot runs in a thread; this one reads the person's lines (see terminal.py).
    return reader.serve(lambda: with_app(config, secrets, go))


def db_upgrade(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    async def go(app: App) -> None:
        print(f"Database {app.storage.describe()} is up to date.")

    return with_app(config, secrets, go)


class CannotContinue(Exception):
    """Stop with this sentence and a non-zero status, without a traceback."""


def with_app(config: Config, secrets: Secrets, work: Callable[[App], Awaitable[None]]) -> int:
    try:
        url = checked_url(config.database.url, secrets.database_password)
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    # Checked before aiosqlite tries: its worker thread outlives a failed open.
    unusable = sqlite_unusable(url) if url.get_backend_name() == "sqlite" else None
    if unusable is not None:
        print(unusable, file=sys.stderr)
        return 1

    async def main() -> None:
        app = build_app(config, secrets)
        try:
            await _opened(app, url)
            await work(app)
        finally:
            await app.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        return 130
    except (DatabaseProblem, CannotContinue) as problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


async def _opened(app: App, url: URL) -> None:
    """Start the app; what opening the database raised becomes a DatabaseProblem."""
    try:
        await app.start()
    except Exception as error:
        sentence = explain(error, url)
        if sentence is None:
            raise
        raise DatabaseProblem(sentence) from None
