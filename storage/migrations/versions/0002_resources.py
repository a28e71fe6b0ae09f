"""Resource library: resources, their topics, the audit trail, and full-text search.

SQLite gets an FTS5 table with external content kept in step by triggers;
PostgreSQL a generated tsvector column with a GIN index. The names are those in
storage/resources_search.py (repeated here: a migration must not change when
that module does).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_SEARCH = (
    # Porter stemming and accent folding, close to PostgreSQL's 'english' configuration.
    """CREATE VIRTUAL TABLE resources_fts USING fts5(
        title, description, topics,
        content='resources', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN
        INSERT INTO resources_fts(rowid, title, description, topics)
        VALUES (new.id, new.title, new.description, new.topics);
    END""",
    """CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
        INSERT INTO resources_fts(resources_fts, rowid, title, description, topics)
        VALUES ('delete', old.id, old.title, old.description, old.topics);
    END""",
    """CREATE TRIGGER resources_fts_update AFTER UPDATE OF title, description, topics
    ON resources BEGIN
        INSERT INTO resources_fts(resources_fts, rowid, title, description, topics)
        VALUES ('delete', old.id, old.title, old.description, old.topics);
        INSERT INTO resources_fts(rowid, title, description, topics)
        VALUES (new.id, new.title, new.description, new.topics);
    END""",
)

POSTGRES_SEARCH = (
    # Hyphens become spaces first, as SQLite's tokenizer reads them: PostgreSQL's
    # parser would otherwise read "covid-19" as "covid" and the number "-19".
    """ALTER TABLE resources ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(title, '-', ' ')), 'A')
        || setweight(to_tsvector('english'::regconfig, translate(topics, '-', ' ')), 'B')
        || setweight(to_tsvector('english'::regconfig, translate(description, '-', ' ')), 'C')
    ) STORED""",
    "CREATE INDEX ix_resources_search ON resources USING gin (search_vector)",
)


def upgrade() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("url_key", sa.String(length=2000), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("topics", sa.String(length=620), nullable=False),
        sa.Column("jurisdiction", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("suggested_by", sa.Integer(), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("review_claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_posts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["members.id"], name=op.f("fk_resources_decided_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by"], ["members.id"], name=op.f("fk_resources_suggested_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("url_hash", name=op.f("uq_resources_url_hash")),
    )
    op.create_index("ix_resources_review", "resources", ["review", "id"], unique=False)
    op.create_index(
        "ix_resources_status_decided", "resources", ["status", "decided_at"], unique=False
    )
    op.create_index(
        "ix_resources_status_suggested", "resources", ["status", "suggested_at"], unique=False
    )
    op.create_index("ix_resources_type", "resources", ["type"], unique=False)
    op.create_index(
        "ix_resources_filters",
        "resources",
        ["id", "status", "type", "language", "jurisdiction"],
        unique=False,
    )

    op.create_table(
        "resource_topics",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("topic_key", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_topics_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "topic_key", name=op.f("pk_resource_topics")),
    )
    op.create_index(
        "ix_resource_topics_topic", "resource_topics", ["topic_key", "resource_id"], unique=False
    )

    op.create_table(
        "resource_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("by_member_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_member_id"], ["members.id"], name=op.f("fk_resource_audit_by_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_audit_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_audit")),
    )
    op.create_index(
        op.f("ix_resource_audit_resource_id"), "resource_audit", ["resource_id"], unique=False
    )

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("resources_fts_update", "resources_fts_delete", "resources_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS resources_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_resources_search")
    op.drop_index(op.f("ix_resource_audit_resource_id"), table_name="resource_audit")
    op.drop_table("resource_audit")
    op.drop_index("ix_resource_topics_topic", table_name="resource_topics")
    op.drop_table("resource_topics")
    op.drop_index("ix_resources_filters", table_name="resources")
    op.drop_index("ix_resources_type", table_name="resources")
    op.drop_index("ix_resources_status_suggested", table_name="resources")
    op.drop_index("ix_resources_status_decided", table_name="resources")
    op.drop_index("ix_resources_review", table_name="resources")
    op.drop_table("resources")
