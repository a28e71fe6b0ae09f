"""A benchmark's database, in this process or in a child it starts: a fresh one at
head for a run, and what a child needs to open the same one (URL and schema)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage import Storage
from storage.database import database_url


def bench_storage(url: str, schema: str | None) -> Storage:
    """The storage of a run; `schema`: PostgreSQL's schema of the run (empty for SQLite)."""
    options: dict[str, Any] = {}
    if schema:
        options["connect_args"] = {"server_settings": {"search_path": schema}}
    return Storage(database_url(url), **options)


async def schema_of(storage: Storage) -> str:
    """The PostgreSQL schema `storage` works in ("" for SQLite): for a child process."""
    if storage.backend != "postgresql":
        return ""
    async with storage.engine.connect() as connection:
        return str(await connection.scalar(text("SELECT current_schema()")))


@asynccontextmanager
async def fresh_database(backend: str) -> AsyncIterator[tuple[str, str]]:
    """A database at head with no rows, for the run: a SQLite file, or a schema of its
    own on the tests' PostgreSQL (tests/databases.py). Its URL and schema ("" for SQLite)."""
    if backend == "postgresql":
        from tests.databases import postgres_storage

        async with postgres_storage() as storage:  # at head; dropped afterwards
            yield storage.url.render_as_string(hide_password=False), await schema_of(storage)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        storage = bench_storage(url, "")
        await storage.upgrade()
        await storage.dispose()
        yield url, ""
