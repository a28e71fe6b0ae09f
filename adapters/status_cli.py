"""`coalition-bot status`: whether reminders and digests are going out, from the database alone."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from adapters.status import Status, delivery_status
from bot.config import Config, Secrets
from storage import Storage
from storage.migrate import current_heads
from storage.problems import WHERE, DatabaseProblem, checked_url, explain, missing_file


def status(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    # Only reads: no platform, no scheduler, no schema upgrade.
    try:
        url = checked_url(config.database.url, secrets.database_password)
        missing_file(url)
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    storage = Storage(url)

    async def go() -> Status:
        try:
            if not await current_heads(storage.engine):
                raise DatabaseProblem(
                    f"The database {storage.describe()} holds no coalition-bot data: run the "
                    f"status where the bot runs, or set {WHERE} to the bot's database."
                )
            return await delivery_status(storage, config, datetime.now(UTC), max(args.days, 1))
        except DatabaseProblem:
            raise
        except Exception as error:
            raise DatabaseProblem(
                explain(error, url)
                or f"Could not read the deliveries ({type(error).__name__}): run "
                "`coalition-bot db upgrade` with the bot's configuration, then try again."
            ) from None
        finally:
            await storage.dispose()

    try:
        status = asyncio.run(go())
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    print("\n".join(status.lines))
    return 1 if status.stuck else 0
