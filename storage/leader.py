"""Which instance runs the scheduler: a PostgreSQL advisory lock, or always this one on SQLite.

On PostgreSQL the lock is held by a session on a connection kept for that
alone. If the process dies, PostgreSQL ends the session and frees the lock, so
a standby that keeps trying (`acquire`) takes over within its polling interval.
A leader that loses its connection learns it on its next `acquire` and stops.

SQLite is for a single instance (stated in the docs): that instance always leads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Storage
from storage.meetings import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
LOCK_NAME = "coalition-bot:scheduler:"


class Leadership(Protocol):
    async def acquire(self) -> bool:
        """True if this instance leads now (kept, or just taken); never raises."""
        ...

    async def release(self) -> None: ...


class SingleInstance:
    """SQLite: one instance, always the leader."""

    async def acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class PostgresAdvisoryLock:
    def __init__(self, storage: Storage, on_change: Callable[[], None] | None = None) -> None:
        self.storage = storage
        self.on_change = on_change  # told when any replica commits a meeting change
        self._connection: AsyncConnection | None = None
        self._key: int | None = None

    async def acquire(self) -> bool:
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("lost the scheduler lock: its database connection is gone")
                await self._drop()
        try:
            return await self._try_lock()
        except Exception:
            log.warning("could not reach PostgreSQL to take the scheduler lock", exc_info=True)
            return False

    async def _try_lock(self) -> bool:
        connection = await self.storage.engine.connect()
        try:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            # One lock per schema: deployments sharing a database do not block each other.
            key = await connection.scalar(
                text("SELECT hashtextextended(:name || current_schema(), 0)"), {"name": LOCK_NAME}
            )
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection, self._key = connection, int(key)
        await self._listen(connection)
        log.info("this instance now runs the scheduler")
        return True

    async def _listen(self, connection: AsyncConnection) -> None:
        if self.on_change is None:
            return
        callback = self.on_change
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection

        def heard(*_: object) -> None:
            callback()

        await driver.add_listener(NOTIFY_CHANNEL, heard)

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.invalidate()  # never back to the pool with a lock on it
            except Exception:
                log.debug("closing the lost lock connection failed", exc_info=True)

    async def release(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        except Exception:
            log.debug("unlocking failed; the session's end frees the lock", exc_info=True)
        await self._drop()


def leadership_for(storage: Storage, on_change: Callable[[], None] | None = None) -> Leadership:
    if storage.backend == "postgresql":
        return PostgresAdvisoryLock(storage, on_change)
    return SingleInstance()
