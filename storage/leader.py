"""Which instance runs the scheduler: a PostgreSQL advisory lock, or always this one on SQLite.

On PostgreSQL the lock is held by a session on a connection kept for that
alone. If the process dies, PostgreSQL ends the session and frees the lock, so
a standby that keeps trying (`acquire`) takes over within its polling interval.
A leader that loses its connection learns it on its next `acquire` and stops.

SQLite is for a single instance (stated in the docs): that instance always leads.

Which instance leads can be asked of any of them (`leader`): the lock's
connection carries the leader's name as its `application_name`, and
PostgreSQL says which session holds the lock (pg_locks, pg_stat_activity).
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
# One lock per schema: deployments sharing a database do not block each other.
_LOCK_KEY = text("SELECT hashtextextended(:name || current_schema(), 0)")
# A bigint advisory key shows in pg_locks as its high (classid) and low (objid)
# 32 bits, with objsubid 1.
_HOLDER = text(
    """
    SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND ((l.classid::bigint << 32) | l.objid::bigint) = :key
    """
)


class Leadership(Protocol):
    async def acquire(self) -> bool:
        """True if this instance leads now (kept, or just taken); never raises."""
        ...

    async def release(self) -> None: ...

    async def leader(self) -> str | None:
        """The name of the instance that leads now, if one does; raises if the
        database cannot say."""
        ...


class SingleInstance:
    """SQLite: one instance, always the leader."""

    def __init__(self, name: str = "") -> None:
        self.name = name

    async def acquire(self) -> bool:
        return True

    async def leader(self) -> str | None:
        return self.name

    async def release(self) -> None:
        return None


class PostgresAdvisoryLock:
    def __init__(
        self, storage: Storage, on_change: Callable[[], None] | None = None, name: str = ""
    ) -> None:
        self.storage = storage
        self.name = name  # shown to the other instances as the leader's name
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
            key = await connection.scalar(_LOCK_KEY, {"name": LOCK_NAME})
            # Named before the lock is taken: whoever sees the lock sees whose it is.
            await connection.execute(
                text("SELECT set_config('application_name', :name, false)"),
                {"name": self.name[:63]},  # PostgreSQL keeps 63 bytes of it
            )
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        except BaseException:
            await connection.close()
            raise
        if not got:
            try:  # back to the pool under no leader's name
                await connection.execute(text("RESET application_name"))
            finally:
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

    async def leader(self) -> str | None:
        return await lock_holder(self.storage)

    async def release(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        except Exception:
            log.debug("unlocking failed; the session's end frees the lock", exc_info=True)
        await self._drop()


async def lock_holder(storage: Storage) -> str | None:
    """PostgreSQL: the name of the instance holding the scheduler lock of this
    schema, or None if none does."""
    async with storage.engine.connect() as connection:
        key = await connection.scalar(_LOCK_KEY, {"name": LOCK_NAME})
        holder = await connection.scalar(_HOLDER, {"key": key})
    return None if holder is None else str(holder)


def leadership_for(
    storage: Storage, on_change: Callable[[], None] | None = None, name: str = ""
) -> Leadership:
    if storage.backend == "postgresql":
        return PostgresAdvisoryLock(storage, on_change, name)
    return SingleInstance(name)
