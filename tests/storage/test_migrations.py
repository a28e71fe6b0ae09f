"""Upgrading an empty database to head gives exactly the models' schema, on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.identity import Identity
from bot.membership.model import Profile
from storage import Storage
from storage.migrate import MIGRATIONS, alembic_config, current_heads
from storage.resources_search import include_object
from storage.schema import Base
from tests import pg_schemas
from tests.databases import BACKENDS, _dsn, open_storage, postgres_storage, postgres_url


@pytest.fixture(params=BACKENDS)
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """Here the migrations themselves run, not the copy of their result other tests get."""
    async with open_storage(request.param, tmp_path, migrate=True) as opened:
        yield opened


async def test_head_matches_the_models(storage: Storage) -> None:
    # The `storage` fixture has already run every migration on an empty database.
    def diff(connection: Connection) -> list[object]:
        # The same filter as migrations/env.py: full-text search objects are hand-made.
        opts = {"compare_type": True, "include_object": include_object}
        context = MigrationContext.configure(connection, opts=opts)
        return list(compare_metadata(context, Base.metadata))

    async with storage.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_upgrade_is_idempotent_and_reaches_head(storage: Storage) -> None:
    await storage.upgrade()
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert await current_heads(storage.engine) == heads
    assert MIGRATIONS.is_dir()


def test_migrations_form_one_line() -> None:
    """One head: every revision builds on the one before, whatever was developed in parallel."""
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CATALOG = {
    "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default,"
    " generation_expression FROM information_schema.columns WHERE table_schema = current_schema()",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes"
    " WHERE schemaname = current_schema()",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
    " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
    "version": "SELECT version_num FROM alembic_version",
}


async def catalog(storage: Storage) -> dict[str, set[tuple[str | None, ...]]]:
    async with storage.engine.connect() as connection:
        schema = await connection.scalar(text("SELECT current_schema()"))
        found = {}
        for name, query in CATALOG.items():
            rows = (await connection.execute(text(query))).all()
            found[name] = {
                tuple(str(v).replace(f"{schema}.", "") if v is not None else v for v in row)
                for row in rows
            }
    return found


@pytest.mark.postgres
async def test_the_schema_other_tests_get_is_the_migrated_one() -> None:
    """tests/pg_schemas.py replays the migrations' statements; the result is the same schema."""
    url = postgres_url()
    admin = await asyncpg.connect(_dsn(url))
    schemas = [await pg_schemas.build(admin, url) for _ in range(2)]  # the first may migrate
    assert pg_schemas.replays()
    replayed = Storage(url, connect_args={"server_settings": {"search_path": schemas[1]}})
    try:
        async with postgres_storage(migrate=True) as migrated:
            expected = await catalog(migrated)
        got = await catalog(replayed)
    finally:
        await replayed.dispose()
        for schema in schemas:
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
    assert any("search_vector" in str(row) for row in expected["indexes"])  # full-text search
    assert got == expected


async def current_schema(storage: Storage) -> str:
    async with storage.engine.connect() as connection:
        return str(await connection.scalar(text("SELECT current_schema()")))


async def one_member(storage: Storage, user: str = "U1") -> int:
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "PH"), Identity("slack", "T1", user), pending=False, at=NOW
        )
        await uow.commit()
    return member.id


@pytest.mark.postgres
async def test_a_schema_is_used_again_empty_and_counting_from_one() -> None:
    async with postgres_storage() as first:
        used = await current_schema(first)
        await one_member(first)
        assert await one_member(first, "U2") == 2
    async with postgres_storage() as second:
        assert await current_schema(second) == used  # the spare schema given back
        assert await one_member(second) == 1  # no rows left, ids from 1 again


@pytest.mark.postgres
async def test_a_schema_a_test_changed_is_dropped() -> None:
    async with postgres_storage() as storage:
        changed = await current_schema(storage)
        async with storage.engine.begin() as connection:
            await connection.execute(text("CREATE INDEX ix_test_only ON members (timezone)"))
    admin = await asyncpg.connect(_dsn(postgres_url()))
    try:
        found = await admin.fetchval(
            "SELECT count(*) FROM pg_namespace WHERE nspname = $1", changed
        )
    finally:
        await admin.close()
    assert found == 0
