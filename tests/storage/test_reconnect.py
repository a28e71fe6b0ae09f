"""PostgreSQL restarts: a pooled connection the server closed while it sat idle."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from bot.errors import StorageUnavailable
from storage import Storage, database
from tests.databases import _dsn, postgres_storage, postgres_url
from tests.storage.test_members import who

pytestmark = pytest.mark.postgres


async def close_pooled_connection(storage: Storage) -> None:
    """What a database restart does to the connection waiting in the pool."""
    async with storage.engine.connect() as connection:
        pid = await connection.scalar(text("SELECT pg_backend_pid()"))
    admin = await asyncpg.connect(_dsn(postgres_url()))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def look_up(storage: Storage) -> None:
    async with storage.unit_of_work() as uow:
        await uow.members.by_identity(who("U1"))


async def test_an_idle_connection_is_checked_and_replaced_before_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.0)  # every pooled connection is "idle"
    async with postgres_storage() as storage:
        await close_pooled_connection(storage)
        await look_up(storage)  # no error: the check found it closed and took a new one


async def test_a_connection_used_moments_ago_fails_once_then_the_pool_recovers() -> None:
    async with postgres_storage() as storage:
        await close_pooled_connection(storage)
        # Not idle long enough to be checked: this command hits the closed connection,
        # and its person is told the database could not be reached...
        with pytest.raises(StorageUnavailable):
            await look_up(storage)
        # ...and the pool, having seen the disconnect, gives the next one a new connection.
        await look_up(storage)
