"""PostgreSQL schemas at head for tests: built without Alembic, emptied and used again.

Creating the tables and indexes of a schema costs a test more than most tests do
themselves, and dropping them almost as much. So:

- the first schema of a process is migrated by Alembic, and the statements it ran
  are replayed to build the next ones (a migration decides what to run from what
  it reads; on an empty schema it reads the same every time, so the replay builds
  the same schema, full-text search column and index included:
  tests/storage/test_migrations.py checks it);
- after a test, a schema that is still exactly the head schema (its fingerprint)
  is emptied, its sequences restarted, and handed to the next test; one a test
  changed (a migration down and up again) is dropped.

What is left at the end of the process is dropped then.
"""

from __future__ import annotations

import asyncio
import atexit
import uuid
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import URL

from storage import Storage

# Everything a test could change in a schema, in one value.
FINGERPRINT = """
SELECT md5(string_agg(part, ',' ORDER BY part)) FROM (
  SELECT c.relname || ':' || c.relkind::text || ':'
         || replace(coalesce(pg_get_indexdef(c.oid), ''), current_schema() || '.', '') AS part
    FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
  UNION ALL
  SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
         || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0
      AND NOT a.attisdropped
  UNION ALL
  SELECT conname || ':' || replace(pg_get_constraintdef(oid), current_schema() || '.', '')
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL
  SELECT 'function:' || proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
  UNION ALL
  SELECT 'trigger:' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT 'version:' || version_num FROM alembic_version
) parts
"""

_head: dict[str, str] = {}  # "script" and "fingerprint", once per process
_spare: list[str] = []  # empty schemas at head, for the next test
_spare_at: list[str] = []  # the database of the spare schemas, to drop them at exit


def new_name() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


async def migrated(storage: Storage, *, record: bool = False) -> None:
    """Run the migrations; with `record`, keep what they wrote to replay it later."""
    if not record:
        await storage.upgrade()
        return
    written: list[str] = []

    def note(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if not statement.lstrip().upper().startswith("SELECT"):
            written.append(statement if not parameters else "")

    event.listen(storage.engine.sync_engine, "before_cursor_execute", note)
    try:
        await storage.upgrade()
    finally:
        event.remove(storage.engine.sync_engine, "before_cursor_execute", note)
    # A statement with parameters cannot be replayed as text: migrate every time.
    _head["script"] = "" if "" in written else ";\n".join(written)


async def take(admin: asyncpg.Connection, url: URL) -> str:
    """An empty schema at head for one test: a spare one, or a new one."""
    return _spare.pop() if _spare else await build(admin, url)


async def build(admin: asyncpg.Connection, url: URL) -> str:
    """A new schema at head: replayed, or migrated (the first of a process, or always
    if the migrations cannot be replayed)."""
    schema = new_name()
    script = _head.get("script")
    if script:
        async with admin.transaction():
            await admin.execute(f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}"')
            await admin.execute(script)
    else:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        storage = Storage(url, connect_args={"server_settings": {"search_path": schema}})
        try:
            await migrated(storage, record=script is None)
        finally:
            await storage.dispose()
    if "fingerprint" not in _head:
        await admin.execute(f'SET search_path TO "{schema}"')
        _head["fingerprint"] = await admin.fetchval(FINGERPRINT)
    return schema


def replays() -> bool:
    """Whether new schemas are built by replaying the migrations' statements."""
    return bool(_head.get("script"))


async def give_back(admin: asyncpg.Connection, schema: str, dsn: str) -> None:
    """Empty the schema for the next test if it is still the head schema; else drop it."""
    try:
        await admin.execute(f"SET lock_timeout = '5s'; SET search_path TO \"{schema}\"")
        if await admin.fetchval(FINGERPRINT) == _head.get("fingerprint"):
            await _empty(admin)
            _keep(schema, dsn)
            return
    except asyncpg.PostgresError:
        pass  # not allowed to empty it (not a superuser?) or still in use: drop it
    await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def _empty(admin: asyncpg.Connection) -> None:
    tables = await admin.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        " AND tablename <> 'alembic_version'"
    )
    sequences = await admin.fetch(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
    )
    deletes = "; ".join(f'DELETE FROM "{row[0]}"' for row in tables)
    restarts = ", ".join(f"setval('\"{row[0]}\"', 1, false)" for row in sequences)
    async with admin.transaction():
        # Foreign keys are not checked while everything goes: no order to find.
        await admin.execute("SET LOCAL session_replication_role = replica")
        await admin.execute(deletes)
        if restarts:
            await admin.execute(f"SELECT {restarts}")


def _keep(schema: str, dsn: str) -> None:
    if not _spare_at:
        _spare_at.append(dsn)
        atexit.register(_drop_spares)
    _spare.append(schema)


def _drop_spares() -> None:
    async def drop() -> None:
        admin = await asyncpg.connect(_spare_at[0])
        try:
            for schema in _spare:
                await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await admin.close()

    if _spare:
        asyncio.run(drop())
        _spare.clear()
