"""Full-text search of the resource library: the one place SQLite and PostgreSQL differ.

SQLite: an FTS5 table (`resources_fts`) with external content (the `resources`
table), kept in step by triggers; each search word is passed as a quoted FTS5
string, so no input can be read as an operator (NEAR, AND, OR, *, parentheses).
Ranked with bm25.

PostgreSQL: a generated `search_vector` tsvector column with a GIN index,
queried with websearch_to_tsquery('english', ...) and ranked with ts_rank.

Both receive the same plain words (bot/resources/search.py picks them out of
what a person typed), so the same tests pass on both. The DDL lives in
migration 0002; the migration test leaves these objects out of its comparison.
"""

from __future__ import annotations

from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, column, func, literal_column, table
from sqlalchemy.sql import Select

from storage.schema import ResourceRow

Columns = TypeVarTuple("Columns")

FTS_TABLE = "resources_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_resources_search"
# Title matters most, then topics, then the description (same order on both).
_BM25 = (10.0, 2.0, 5.0)  # title, description, topics: FTS5 column order
_FTS = table(FTS_TABLE, column("rowid"))


def is_search_machinery(name: str | None, type_: str) -> bool:
    """True for the search objects the models do not describe (see the module doc)."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return name == VECTOR_COLUMN
    if type_ == "index":
        return name == VECTOR_INDEX
    return False


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's include_object hook: compare everything but the search machinery."""
    return not (reflected and compare_to is None and is_search_machinery(name, type_))


def matching(
    found: Select[*Columns], dialect: str, terms: tuple[str, ...]
) -> tuple[Select[*Columns], ColumnElement[Any], ColumnElement[Any]]:
    """`found` narrowed to rows containing every term; a score (higher is a better
    match); and the resource id as the engine can best walk it, newest first."""
    if dialect == "postgresql":
        vector: ColumnElement[Any] = literal_column(f"resources.{VECTOR_COLUMN}")
        query = func.websearch_to_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
        found = found.where(vector.op("@@")(query))
        return found, func.ts_rank(vector, query), ResourceRow.id.desc()
    # Quoted, each word is a string to FTS5, never syntax; words hold no quotes.
    expression = " ".join(f'"{term}"' for term in terms)
    fts: ColumnElement[Any] = literal_column(FTS_TABLE)
    found = found.join(_FTS, _FTS.c.rowid == ResourceRow.id).where(fts.op("MATCH")(expression))
    # bm25 is lower (more negative) for better matches. Ordered by the FTS table's
    # rowid, FTS5 walks its index newest first and stops at the LIMIT; ordered by
    # resources.id, SQLite would join and sort every match first.
    return found, -func.bm25(fts, *_BM25), _FTS.c.rowid.desc()
