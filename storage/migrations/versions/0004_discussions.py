"""Discussions: discussions, followers, the threads the bot opened; weekly digest claims.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Sizes as in bot/discussions/model.py when this revision was written.
_TOPICS_TEXT = 212


def upgrade() -> None:
    op.create_table(
        "discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("question", sa.String(length=2000), nullable=False),
        sa.Column("topics", sa.String(length=_TOPICS_TEXT), nullable=False),
        sa.Column("topic_keys", sa.String(length=_TOPICS_TEXT), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("last_activity", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_replies", sa.Integer(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.String(length=2000), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["members.id"], name=op.f("fk_discussions_closed_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["members.id"], name=op.f("fk_discussions_started_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussions")),
    )
    op.create_index("ix_discussions_listing", "discussions", ["status", "last_activity"])
    op.create_table(
        "discussion_words",
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_discussion_words_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word", "discussion_id", name=op.f("pk_discussion_words")),
    )
    op.create_table(
        "discussion_followers",
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_discussion_followers_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_discussion_followers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("discussion_id", "member_id", name=op.f("pk_discussion_followers")),
    )
    op.create_table(
        "discussion_threads",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("thread", sa.String(length=80), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_discussion_threads_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "platform", "channel", "thread", name=op.f("pk_discussion_threads")
        ),
    )
    op.create_index(
        op.f("ix_discussion_threads_discussion_id"), "discussion_threads", ["discussion_id"]
    )
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_deliveries")),
        sa.UniqueConstraint("period_start", "target", name="uq_digest_deliveries_claim"),
    )


def downgrade() -> None:
    op.drop_table("digest_deliveries")
    op.drop_table("discussion_threads")
    op.drop_table("discussion_followers")
    op.drop_table("discussion_words")
    op.drop_index("ix_discussions_listing", table_name="discussions")
    op.drop_table("discussions")
