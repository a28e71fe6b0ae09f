"""Alembic environment: always given a connection by storage.migrate."""

from __future__ import annotations

from alembic import context

from storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations with `coalition-bot db upgrade`, which supplies the database.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
