"""Full-text search of the resource library: the one place SQLite and PostgreSQL differ.

SQLite: an FTS5 table (`resources_fts`) with external content (the view
`resources_fts_content` of the `resources` table), kept in step by triggers;
each search word is passed as a quoted FTS5 string, so no input can be read as
an operator (NEAR, AND, OR, *, parentheses). Ranked with bm25.

PostgreSQL: a generated `search_vector` tsvector column with a GIN index,
queried with websearch_to_tsquery('english', ...) and ranked with ts_rank.

Both receive the same plain words (bot/resources/search.py picks them out of
what a person typed), so the same tests pass on both. The DDL lives in
migrations 0002 and 0008; the migration test leaves these objects out of its
comparison.

Filters inside the index. A search with words and a type or topic filter would
otherwise walk every match of the words (thousands at 100,000 resources) and
look each one up to check the filters. So the index also holds them, and
`matching` narrows by them in the same full-text lookup:

- SQLite: a `type_token` column (weight 0 in bm25) holds the type as one token
  that no search word can equal (`type_token()`), ANDed to the words. Topics
  are not in it: a topic is checked on the rows left by words and type.
- PostgreSQL: the tsvector also holds the lexemes 'type: <type>' and, for each
  topic, 'topic: <topic key>', ANDed to the words' query; ts_rank is still
  given the words alone, so scores do not change. The type lexeme is the type
  itself, so the type needs no second check.

Several values of one filter (the web's checkboxes) are ORed inside the index
too: FTS5's `("tok1" OR "tok2")`, tsquery's `('type: a' | 'type: b')`.

The index may let through a row that the filter does not match (two types can
stem to one token), but it never drops one that does (for topics, as long as
`_topic_key_indexed` holds). storage/resources.py checks the filters exactly on
the rows that are left, so the results are the same as without the index.
SQLite's bm25 counts the type token in each row's length, one token more for
every row, which can only reorder near-equal scores.
"""

from __future__ import annotations

from typing import Any, Generic, NamedTuple, TypeVarTuple

from sqlalchemy import ColumnElement, cast, column, func, literal, literal_column, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import Select

from storage.schema import ResourceRow

Columns = TypeVarTuple("Columns")

FTS_TABLE = "resources_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_resources_search"
# Title matters most, then topics, then the description (same order on both);
# the type token is there to filter, and must not count.
_BM25 = (10.0, 2.0, 5.0, 0.0)  # title, description, topics, type_token: FTS5 column order
_FTS = table(FTS_TABLE, column("rowid"))


def is_search_machinery(name: str | None, type_: str) -> bool:
    """True for the search objects the models do not describe (see the module doc)."""
    if name is None:
        return False
    if type_ == "table":  # the FTS5 table, its shadow tables, and its content view
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


class Match(NamedTuple, Generic[*Columns]):
    """What `matching` makes of a search."""

    found: Select[*Columns]  # narrowed to the matches
    score: ColumnElement[Any]  # higher is a better match
    newest: ColumnElement[Any]  # the resource id as the engine can best walk it, newest first
    type_exact: bool  # the type filter needs no further check


def matching(
    found: Select[*Columns],
    dialect: str,
    terms: tuple[str, ...],
    *,
    types: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
) -> Match[*Columns]:
    """`found` narrowed to rows containing every term and, as far as the index
    can tell, of one of those types and one of those topics (the caller checks the
    topics, and the types unless `type_exact`, on the rows left)."""
    if dialect == "postgresql":
        return _postgres(found, terms, types, topics)
    return _sqlite(found, terms, types)


def _postgres(
    found: Select[*Columns],
    terms: tuple[str, ...],
    types: tuple[str, ...],
    topics: tuple[str, ...],
) -> Match[*Columns]:
    vector: ColumnElement[Any] = literal_column(f"resources.{VECTOR_COLUMN}")
    words = func.websearch_to_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
    filters = _postgres_filters(types, topics)
    if filters:
        # One GIN lookup for words and filters together (a bound value, cast).
        # Words PostgreSQL reads as nothing match nothing, as without filters,
        # rather than leave the filters alone.
        found = found.where(
            vector.op("@@")(words.op("&&")(cast(literal(filters), TSQUERY))),
            func.numnode(words) > 0,
        )
    else:
        found = found.where(vector.op("@@")(words))
    # Ranked by the words alone, as without filters. The type lexeme is the
    # stored type itself, so checking it again would only tempt the planner into
    # reading the whole type index as well.
    return Match(found, func.ts_rank(vector, words), ResourceRow.id.desc(), type_exact=True)


def _sqlite(
    found: Select[*Columns], terms: tuple[str, ...], types: tuple[str, ...]
) -> Match[*Columns]:
    # Quoted, each word is a string to FTS5, never syntax; words hold no quotes.
    # In parentheses: if FTS5 reads no token in any of them, nothing matches, as
    # without the type, rather than every resource of that type.
    expression = "(" + " ".join(f'"{term}"' for term in terms) + ")"
    if types:
        expression += " AND (" + " OR ".join(f'"{type_token(t)}"' for t in types) + ")"
    fts: ColumnElement[Any] = literal_column(FTS_TABLE)
    found = found.join(_FTS, _FTS.c.rowid == ResourceRow.id).where(fts.op("MATCH")(expression))
    # bm25 is lower (more negative) for better matches; the type token adds 0 to
    # it (weight 0). Ordered by the FTS table's rowid, FTS5 walks its index newest
    # first and stops at the LIMIT; ordered by resources.id, SQLite would join
    # and sort every match first. Two types may share a token once stemmed, so
    # the type is checked again.
    return Match(found, -func.bm25(fts, *_BM25), _FTS.c.rowid.desc(), type_exact=False)


def type_token(type_: str) -> str:
    """The one FTS5 token migration 0008 indexes for a type: a private-use
    character (a token character to FTS5, never part of a search word, which is
    letters and digits), then the type's UTF-8 bytes in hex, as SQLite's hex()
    writes them."""
    return "\ue000" + type_.encode("utf-8").hex().upper()


def _topic_key_indexed(topic: str) -> bool:
    """Whether migration 0008's 'topic: ' lexemes hold every resource with this
    topic. They come from the `topics` text split at ", " and lower-cased in the
    C collation (ASCII only): that gives each resource's topic key exactly when
    the key has no comma and Python lower-cases it to ASCII."""
    key = topic.lower()
    return key.isascii() and "," not in key


def _postgres_filters(types: tuple[str, ...], topics: tuple[str, ...]) -> str | None:
    """The tsquery text of the filter lexemes, each quoted as one lexeme: any of the
    types and any of the topics. Topics go in only if every one is indexed: the
    index may let a row through, never leave one out."""
    groups = []
    if types:  # exact: the type is stored as chosen
        groups.append([f"type: {t}" for t in types])
    if topics and all(_topic_key_indexed(t) for t in topics):
        groups.append([f"topic: {t.lower()}" for t in topics])
    return (
        " & ".join(
            "(" + " | ".join(_tsquery_lexeme(lexeme) for lexeme in group) + ")" for group in groups
        )
        or None
    )


def _tsquery_lexeme(value: str) -> str:
    """`value` quoted for tsquery input: one lexeme, whatever it holds."""
    escaped = value.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"
