"""Test databases at head with no rows: a SQLite file, or a schema on the PostgreSQL server.

In CI (CI=true) PostgreSQL must answer: its tests fail rather than skip.
Elsewhere they skip with a message that says how to enable them.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from functools import cache
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from storage import Storage
from storage.database import database_url
from tests import pg_schemas

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def configured_url() -> URL:
    return database_url(os.environ.get("COALITION_TEST_DATABASE_URL") or DEFAULT_POSTGRES)


def postgres_url() -> URL:
    """The database for this process's tests: the configured one, or for a second
    pytest-xdist worker a database of its own beside it (`test_gw1`), so that what
    reaches a whole database (NOTIFY, advisory locks) stays within one worker."""
    url = configured_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return url if worker == "gw0" else url.set(database=f"{url.database}_{worker}")


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL can't be used, or None when it answers."""

    async def probe() -> None:
        connection = await asyncpg.connect(_dsn(configured_url()), timeout=5)
        try:
            if postgres_url() != configured_url():
                await _create_if_missing(connection, str(postgres_url().database))
        finally:
            await connection.close()

    try:
        # A thread of its own: this may be first called from inside a running event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as error:  # any failure to connect means "not available"
        return f"{type(error).__name__}: {error}"
    return None


async def _create_if_missing(connection: asyncpg.Connection, database: str) -> None:
    known = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
    if not known:
        with suppress(asyncpg.DuplicateDatabaseError):  # the other worker made it
            await connection.execute(f'CREATE DATABASE "{database}"')


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


# The schema at head is built once per process and copied for each test: migrating
# costs a test more than most tests do themselves (PostgreSQL: tests/pg_schemas.py).
# tests/storage/test_migrations.py runs the migrations for real (`migrate=True`).
_sqlite_head: list[Path] = []


@asynccontextmanager
async def postgres_storage(*, migrate: bool = False) -> AsyncIterator[Storage]:
    """A Storage on a PostgreSQL schema of its own, at head, with no rows.

    `migrate`: a new schema, built by running the migrations themselves.
    """
    require_postgres()
    url = postgres_url()
    admin = await asyncpg.connect(_dsn(url))
    try:
        schema = pg_schemas.new_name() if migrate else await pg_schemas.take(admin, url)
        if migrate:
            await admin.execute(f'CREATE SCHEMA "{schema}"')
        storage = Storage(url, connect_args={"server_settings": {"search_path": schema}})
        try:
            if migrate:
                await storage.upgrade()
            yield storage
        finally:
            await storage.dispose()
            if migrate:
                await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            else:
                await pg_schemas.give_back(admin, schema, _dsn(url))
    finally:
        await admin.close()


async def _sqlite_template() -> Path:
    if _sqlite_head:
        return _sqlite_head[0]
    directory = Path(tempfile.mkdtemp(prefix="coalition-tests-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    template = directory / "head.db"
    storage = Storage(database_url(f"sqlite+aiosqlite:///{template}"))
    try:
        await storage.upgrade()
    finally:
        await storage.dispose()  # the last connection to close folds the WAL into the file
    _sqlite_head.append(template)
    return template


@asynccontextmanager
async def sqlite_storage(directory: Path, *, migrate: bool = False) -> AsyncIterator[Storage]:
    """A Storage on `directory`/coalition.db: a copy of the schema at head if it is new.

    `migrate`, or a file that exists already: the migrations run on it.
    """
    path = directory / "coalition.db"
    fresh = not migrate and not path.exists()
    if fresh:
        shutil.copyfile(await _sqlite_template(), path)
    storage = Storage(database_url(f"sqlite+aiosqlite:///{path}"))
    try:
        if not fresh:
            await storage.upgrade()
        yield storage
    finally:
        await storage.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@asynccontextmanager
async def open_storage(
    backend: str, directory: Path, *, migrate: bool = False
) -> AsyncIterator[Storage]:
    factory = (
        postgres_storage(migrate=migrate)
        if backend == "postgresql"
        else sqlite_storage(directory, migrate=migrate)
    )
    async with factory as storage:
        yield storage
