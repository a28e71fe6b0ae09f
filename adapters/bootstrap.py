"""The single place where the core, storage and the clock are put together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.clock import Clock
from bot.config import Config, Secrets
from bot.delivery import Broadcaster
from bot.dispatcher import Dispatcher
from bot.registry import build_catalogue
from storage import Storage


class SystemClock:
    """The wall clock; the only one outside tests. The core never reads time any other way."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class App:
    config: Config
    secrets: Secrets
    storage: Storage
    dispatcher: Dispatcher
    broadcaster: Broadcaster
    clock: Clock

    async def start(self) -> None:
        """Bring the schema up to date before anything reads it."""
        await self.storage.upgrade()

    async def close(self) -> None:
        await self.storage.dispose()


def build_app(
    config: Config,
    secrets: Secrets,
    *,
    clock: Clock | None = None,
    storage: Storage | None = None,
) -> App:
    clock = clock or SystemClock()
    storage = storage or Storage.from_config(config.database.url, secrets.database_password)
    broadcaster = Broadcaster()
    dispatcher = Dispatcher(
        build_catalogue(), storage.unit_of_work, clock, config, broadcaster=broadcaster
    )
    return App(config, secrets, storage, dispatcher, broadcaster, clock)
