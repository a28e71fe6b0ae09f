"""Test databases: a fresh SQLite file, or a fresh schema on the PostgreSQL server.

In CI (CI=true) PostgreSQL must answer: its tests fail rather than skip.
Elsewhere they skip with a message that says how to enable them.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from storage import Storage
from storage.database import database_url

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> URL:
    return database_url(os.environ.get("COALITION_TEST_DATABASE_URL") or DEFAULT_POSTGRES)


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL can't be used, or None when it answers."""

    async def probe() -> None:
        connection = await asyncpg.connect(_dsn(postgres_url()), timeout=5)
        await connection.close()

    try:
        # A thread of its own: this may be first called from inside a running event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as error:  # any failure to connect means "not available"
        return f"{type(error).__name__}: {error}"
    return None


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    where = make_url(_dsn(postgres_url())).render_as_string(hide_password=True)
    message = (
        f"PostgreSQL at {where} is not reachable ({problem}). Start it, or set "
        "COALITION_TEST_DATABASE_URL to a PostgreSQL database, to run these tests."
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@asynccontextmanager
async def postgres_storage() -> AsyncIterator[Storage]:
    """A Storage on its own PostgreSQL schema, dropped afterwards."""
    require_postgres()
    url = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(url))
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    storage = Storage(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await storage.upgrade()
        yield storage
    finally:
        await storage.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@asynccontextmanager
async def sqlite_storage(directory: Path) -> AsyncIterator[Storage]:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{directory / 'coalition.db'}"))
    try:
        await storage.upgrade()
        yield storage
    finally:
        await storage.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@asynccontextmanager
async def open_storage(backend: str, directory: Path) -> AsyncIterator[Storage]:
    factory = postgres_storage() if backend == "postgresql" else sqlite_storage(directory)
    async with factory as storage:
        yield storage
