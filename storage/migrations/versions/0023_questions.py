"""Office-hours questions: the queue, upvotes once per member, where each was posted.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=1000), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_by", sa.Integer(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        _fk("questions", "asked_by", "members", "SET NULL"),
        _fk("questions", "answered_by", "members", "SET NULL"),
        _fk("questions", "hidden_by", "members", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    op.create_index(op.f("ix_questions_meeting_id"), "questions", ["meeting_id"])
    op.create_index(op.f("ix_questions_asked_by"), "questions", ["asked_by"])
    op.create_table(
        "question_upvotes",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        _fk("question_upvotes", "question_id", "questions", "CASCADE"),
        _fk("question_upvotes", "member_id", "members", "CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "member_id", name=op.f("pk_question_upvotes")),
    )
    op.create_table(
        "question_posts",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("message_id", sa.String(length=80), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        _fk("question_posts", "question_id", "questions", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "platform", "channel", "message_id", name=op.f("pk_question_posts")
        ),
    )
    op.create_index(op.f("ix_question_posts_question_id"), "question_posts", ["question_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_question_posts_question_id"), "question_posts")
    op.drop_table("question_posts")
    op.drop_table("question_upvotes")
    op.drop_index(op.f("ix_questions_asked_by"), "questions")
    op.drop_index(op.f("ix_questions_meeting_id"), "questions")
    op.drop_table("questions")
