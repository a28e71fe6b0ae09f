"""Which instance leads, as any instance (and `coalition-bot status`) can tell on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.status import delivery_status
from bot.config import Config
from storage.leader import PostgresAdvisoryLock, SingleInstance, lock_holder
from tests.databases import postgres_storage


@pytest.mark.postgres
async def test_every_instance_names_the_holder_of_the_lock() -> None:
    async with postgres_storage() as storage:
        first = PostgresAdvisoryLock(storage, name="host-a-101")
        second = PostgresAdvisoryLock(storage, name="host-b-202")
        try:
            assert await lock_holder(storage) is None
            said = await delivery_status(storage, Config(), datetime.now(UTC), 7)
            assert said.lines[-1].startswith("No instance leads now")
            assert await first.acquire() and not await second.acquire()
            assert await first.leader() == await second.leader() == "host-a-101"
            said = await delivery_status(storage, Config(), datetime.now(UTC), 7)
            assert said.lines[-1] == (
                "The instance that leads (posts reminders and digests): host-a-101."
            )
            await first.release()
            assert await second.acquire()
            assert await first.leader() == "host-b-202"
        finally:
            await first.release()
            await second.release()


async def test_sqlite_names_this_instance() -> None:
    assert await SingleInstance("host-a-101").leader() == "host-a-101"
