"""Persistence: SQLAlchemy models, repositories for the core's ports, Alembic migrations.

SQLite is the embedded default (no setup); PostgreSQL is the production choice.
Differences between the two are hidden here and nowhere else.
"""

from storage.database import Storage

__all__ = ["Storage"]
