"""Test databases: a fresh SQLite file, or a fresh schema on the PostgreSQL server, at head.

In CI (CI=true) PostgreSQL must answer: its tests fail rather than skip.
Elsewhere they skip with a message that says how to enable them.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event
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


# The schema at head, built once per process and copied for each test: migrating
# costs a test more than most tests do themselves. tests/storage/test_migrations.py
# runs the migrations for real (`migrate=True`).
_heads: dict[str, str] = {}
_TEMPLATES: Path | None = None


async def _postgres_head_script(url: URL) -> str | None:
    """The statements that migrating an empty schema runs, to replay in another one.

    A migration decides what to run from what it reads; on an empty schema it reads
    the same every time, so replaying its writes builds the same schema, full-text
    search column and index included. None if a statement takes parameters.
    """
    if "postgresql" in _heads:
        return _heads["postgresql"] or None
    written: list[str] = []

    def record(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if not statement.lstrip().upper().startswith("SELECT"):
            written.append(statement if not parameters else "")

    async with _migrated_schema(url, listener=record):
        pass
    script = "" if "" in written else ";\n".join(written)
    _heads["postgresql"] = script
    return script or None


@asynccontextmanager
async def _migrated_schema(url: URL, listener: Any = None) -> AsyncIterator[Storage]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(url))
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    storage = Storage(url, connect_args={"server_settings": {"search_path": schema}})
    if listener is not None:
        event.listen(storage.engine.sync_engine, "before_cursor_execute", listener)
    try:
        await storage.upgrade()
        if listener is not None:
            event.remove(storage.engine.sync_engine, "before_cursor_execute", listener)
        yield storage
    finally:
        await storage.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@asynccontextmanager
async def postgres_storage(*, migrate: bool = False) -> AsyncIterator[Storage]:
    """A Storage on its own PostgreSQL schema at head, dropped afterwards.

    `migrate`: built by running the migrations, not by replaying what they wrote.
    """
    require_postgres()
    url = postgres_url()
    script = None if migrate else await _postgres_head_script(url)
    if script is None:
        async with _migrated_schema(url) as storage:
            await storage.listen()  # as the bot does: members are cached on PostgreSQL too
            yield storage
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(url))
    async with admin.transaction():
        await admin.execute(f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}"')
        await admin.execute(script)
    storage = Storage(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await storage.listen()
        yield storage
    finally:
        await storage.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


async def _sqlite_template() -> Path:
    global _TEMPLATES
    if "sqlite" in _heads:
        return Path(_heads["sqlite"])
    if _TEMPLATES is None:
        _TEMPLATES = Path(tempfile.mkdtemp(prefix="coalition-tests-"))
        atexit.register(shutil.rmtree, _TEMPLATES, ignore_errors=True)
    template = _TEMPLATES / "head.db"
    storage = Storage(database_url(f"sqlite+aiosqlite:///{template}"))
    try:
        await storage.upgrade()
    finally:
        await storage.dispose()  # the last connection to close folds the WAL into the file
    _heads["sqlite"] = str(template)
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
