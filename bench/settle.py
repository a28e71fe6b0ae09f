"""Bring a freshly seeded database to the state autovacuum keeps it in production."""

from __future__ import annotations

from sqlalchemy import text

from storage import Storage


async def settle(storage: Storage) -> None:
    """Fresh planner statistics and, on PostgreSQL, visibility maps.

    Index-only scans need the visibility maps. Left to itself, autovacuum would
    do this work in the middle of the measurements. VACUUM cannot run inside a
    transaction, hence the autocommit connection.
    """
    statement = "VACUUM ANALYZE" if storage.backend == "postgresql" else "ANALYZE"
    async with storage.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(statement))
