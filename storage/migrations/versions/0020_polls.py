"""Polls: the poll, its options with counts, who voted, named choices, posts.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, cascade: bool = True) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        _fk("polls", "created_by", "members", cascade=False),
        _fk("polls", "closed_by", "members", cascade=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    op.create_index("ix_polls_closes_at", "polls", ["closes_at"])
    op.create_table(
        "poll_options",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        _fk("poll_options", "poll_id", "polls"),
        sa.PrimaryKeyConstraint("poll_id", "position", name=op.f("pk_poll_options")),
    )
    op.create_table(
        "poll_voters",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        _fk("poll_voters", "poll_id", "polls"),
        _fk("poll_voters", "member_id", "members"),
        sa.PrimaryKeyConstraint("poll_id", "member_id", name=op.f("pk_poll_voters")),
    )
    op.create_table(
        "poll_choices",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, autoincrement=False),
        _fk("poll_choices", "poll_id", "polls"),
        _fk("poll_choices", "member_id", "members"),
        sa.PrimaryKeyConstraint("poll_id", "member_id", "position", name=op.f("pk_poll_choices")),
    )
    op.create_table(
        "poll_posts",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("message_id", sa.String(length=80), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        _fk("poll_posts", "poll_id", "polls"),
        sa.PrimaryKeyConstraint("platform", "channel", "message_id", name=op.f("pk_poll_posts")),
    )
    op.create_index("ix_poll_posts_poll_id", "poll_posts", ["poll_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_posts_poll_id", "poll_posts")
    op.drop_table("poll_posts")
    op.drop_table("poll_choices")
    op.drop_table("poll_voters")
    op.drop_table("poll_options")
    op.drop_index("ix_polls_closes_at", "polls")
    op.drop_table("polls")
