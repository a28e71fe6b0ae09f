"""The few statements that SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.schema.base import Base


def dialect_of(session: AsyncSession) -> str:
    """ "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name


def insert_on_conflict(session: AsyncSession, table: type[Base]) -> Any:
    """INSERT with ON CONFLICT support, for the backend in use.

    ON CONFLICT settles races on a unique key without failing the transaction. A
    savepoint would not do on SQLite: pysqlite opens no transaction before a
    savepoint that is its first write, so its release commits by itself.
    """
    return postgresql.insert(table) if dialect_of(session) == "postgresql" else sqlite.insert(table)
