"""Upgrading an empty database to head gives exactly the models' schema, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage import Storage
from storage.migrate import MIGRATIONS, alembic_config, current_heads
from storage.resources_search import include_object
from storage.schema import Base


async def test_head_matches_the_models(storage: Storage) -> None:
    # The `storage` fixture has already run every migration on an empty database.
    def diff(connection):  # type: ignore[no-untyped-def]
        # The same filter as migrations/env.py: full-text search objects are hand-made.
        opts = {"compare_type": True, "include_object": include_object}
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, Base.metadata)

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
