"""The database `coalition-bot run` processes share with a test: SQLite or PostgreSQL.

A process reads only a URL from its config, and a URL names no PostgreSQL schema,
so each test on PostgreSQL gets a database of its own (at head, dropped after),
as a deployment has: the tables in its `public` schema.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy import text

from storage import Storage
from storage.database import database_url
from tests.databases import _dsn, postgres_url, require_postgres


@dataclass(frozen=True)
class ProcessDatabase:
    url: str  # for the processes' config
    storage: Storage  # the test's own engine on it

    @property
    def backend(self) -> str:
        return self.storage.backend

    async def count(self, where: str, table: str = "meeting_deliveries") -> int:
        """Rows of `table` (meeting deliveries unless told) that match `where` (SQL),
        as the processes left them."""
        query = text(f"SELECT count(*) FROM {table} WHERE {where}")
        async with self.storage.engine.connect() as connection:
            return int(await connection.scalar(query) or 0)


@asynccontextmanager
async def process_database(backend: str, directory: Path) -> AsyncIterator[ProcessDatabase]:
    if backend != "postgresql":
        path = f"sqlite+aiosqlite:///{directory / 'bot.db'}"
        storage = Storage(database_url(path))
        try:
            await storage.upgrade()
            yield ProcessDatabase(path, storage)
        finally:
            await storage.dispose()
        return
    require_postgres()
    server = postgres_url()
    name = f"coalition_process_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(server))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = database_url(_dsn(server.set(database=name)))
        storage = Storage(url)
        try:
            await storage.upgrade()
            yield ProcessDatabase(url.render_as_string(hide_password=False), storage)
        finally:
            await storage.dispose()
            # FORCE: a process killed with SIGKILL may leave its sessions for a moment.
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()
