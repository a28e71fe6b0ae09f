"""Alembic environment: always given a connection by storage.migrate.

`include_object` leaves out the full-text search objects the models do not
describe (the FTS5 table on SQLite, the tsvector column and its index on
PostgreSQL): they are made by hand in migration 0002, so autogenerate must
neither drop them nor report them. See storage/resources_search.py.
"""

from __future__ import annotations

from alembic import context

from storage.resources_search import include_object
from storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations with `coalition-bot db upgrade`, which supplies the database.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
