"""Resource search: the type and topic filters inside the full-text index.

A search with words and filters used to walk every full-text match of the
words (thousands at 100,000 resources) and look each one up to check its type
and topic. Now the index itself narrows by them, and the exact filters only
recheck the few rows left (see storage/resources_search.py):

- SQLite: the FTS5 table gains a `type_token` column: the type as one token
  that no search word can equal (weight 0 in the ranking). Its content is now
  a view of resources that adds that column.
- PostgreSQL: the tsvector gains one whole-value lexeme per filter, which no
  word can ever equal (they hold ": "): 'type: <type>' exactly as stored, and
  'topic: <topic key>' for each topic (the `topics` text split at ", ",
  lower-cased in the C collation, as Python lower-cases ASCII). They carry no
  position or weight, so ts_rank of the words is unchanged.

The names are those of migration 0002 and storage/resources_search.py (repeated
here: a migration must not change when that module does).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = ("resources_fts_update", "resources_fts_delete", "resources_fts_insert")
# What the FTS5 table indexes: the resource's text, and its type as one token
# that no search word can equal (a private-use character, then the type's UTF-8
# bytes in hex). As a view, FTS5 can read it back, so 'rebuild' and
# 'integrity-check' keep working.
_SQLITE_CONTENT = """CREATE VIEW resources_fts_content AS
    SELECT id, title, description, topics, char(57344) || hex(type) AS type_token
    FROM resources"""
_TYPE_TOKEN = "char(57344) || hex({row}.type)"


def _sqlite_search(filters: bool) -> tuple[str, ...]:
    """The FTS5 table (with the type token when `filters`), its triggers, and a rebuild."""
    columns = ["title", "description", "topics"] + (["type_token"] if filters else [])
    names = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(
            _TYPE_TOKEN.format(row=row) if c == "type_token" else f"{row}.{c}" for c in columns
        )

    content = "resources_fts_content" if filters else "resources"
    watched = "title, description, topics" + (", type" if filters else "")
    return (
        *((_SQLITE_CONTENT,) if filters else ()),
        # Porter stemming and accent folding, close to PostgreSQL's 'english' configuration.
        f"""CREATE VIRTUAL TABLE resources_fts USING fts5(
            {names},
            content='{content}', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN
            INSERT INTO resources_fts(rowid, {names}) VALUES (new.id, {values("new")});
        END""",
        f"""CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
            INSERT INTO resources_fts(resources_fts, rowid, {names})
            VALUES ('delete', old.id, {values("old")});
        END""",
        f"""CREATE TRIGGER resources_fts_update AFTER UPDATE OF {watched} ON resources BEGIN
            INSERT INTO resources_fts(resources_fts, rowid, {names})
            VALUES ('delete', old.id, {values("old")});
            INSERT INTO resources_fts(rowid, {names}) VALUES (new.id, {values("new")});
        END""",
        # Index what is already there, read from the content table.
        "INSERT INTO resources_fts(resources_fts) VALUES ('rebuild')",
    )


_WORDS = """
    setweight(to_tsvector('english'::regconfig, translate(title, '-', ' ')), 'A')
    || setweight(to_tsvector('english'::regconfig, translate(topics, '-', ' ')), 'B')
    || setweight(to_tsvector('english'::regconfig, translate(description, '-', ' ')), 'C')
"""
# Every element starts with "type: " or "topic: ", so none is empty (which
# array_to_tsvector refuses) and none can equal a word. The Kelvin sign is the
# one character outside ASCII that Python lower-cases into ASCII ("k").
_FILTERS = """
    || array_to_tsvector(ARRAY['type: ' || type] || string_to_array(
        'topic: ' || replace(lower(translate(topics, U&'\\212A', 'k') COLLATE "C"),
                             ', ', ', topic: '),
        ', '))
"""


def _postgres_search(expression: str) -> tuple[str, ...]:
    return (
        # Dropping the column drops its GIN index too; the new one is built once.
        "ALTER TABLE resources DROP COLUMN search_vector",
        f"ALTER TABLE resources ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX ix_resources_search ON resources USING gin (search_vector)",
    )


def _sqlite_drop() -> None:
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS resources_fts")
    op.execute("DROP VIEW IF EXISTS resources_fts_content")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_drop()
        statements = _sqlite_search(filters=True)
    else:
        statements = _postgres_search(_WORDS + _FILTERS)
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_drop()
        statements = _sqlite_search(filters=False)
    else:
        statements = _postgres_search(_WORDS)
    for statement in statements:
        op.execute(statement)
