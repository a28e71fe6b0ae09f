"""Running Alembic from the bot itself: `coalition-bot db upgrade` and the upgrade on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # env.py uses this connection instead of opening its own.
    config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))


async def current_heads(engine: AsyncEngine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        heads = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return set(heads)
