"""Session evaluations: the evaluation, opened occurrences, sends, who answered, answers.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _keys(*, member: bool) -> list[Any]:
    """An occurrence of an evaluation (and a member): the key of every table but the first."""
    items: list[Any] = [
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
    ]
    if member:
        items.append(sa.Column("member_id", sa.Integer(), nullable=False))
    return items


def _constraints(table: str, *, member: bool) -> list[Any]:
    items: list[Any] = [_fk(table, "evaluation_id", "evaluations", "CASCADE")]
    columns = ["evaluation_id", "occurrence"]
    if member:
        items.append(_fk(table, "member_id", "members", "CASCADE"))
        columns.append("member_id")
    items.append(sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}")))
    return items


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("removed_at", WHEN, nullable=True),
        _fk("evaluations", "meeting_id", "meetings", "CASCADE"),
        _fk("evaluations", "created_by", "members", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_evaluations_meeting_id")),
    )
    op.create_table(
        "evaluation_occurrences",
        *_keys(member=False),
        sa.Column("ends_at", WHEN, nullable=False),
        sa.Column("closes_at", WHEN, nullable=False),
        sa.Column("remind_at", WHEN, nullable=False),
        sa.Column("post_claimed_at", WHEN, nullable=True),
        sa.Column("posted_at", WHEN, nullable=True),
        *_constraints("evaluation_occurrences", member=False),
    )
    op.create_index(
        op.f("ix_evaluation_occurrences_closes_at"), "evaluation_occurrences", ["closes_at"]
    )
    op.create_index(
        op.f("ix_evaluation_occurrences_remind_at"), "evaluation_occurrences", ["remind_at"]
    )
    op.create_table(
        "evaluation_sends",
        *_keys(member=True),
        sa.Column("claimed_by", sa.String(length=80), nullable=False),
        sa.Column("claimed_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("reminder_claimed_at", WHEN, nullable=True),
        sa.Column("reminded_at", WHEN, nullable=True),
        *_constraints("evaluation_sends", member=True),
    )
    # No SQLite rowid: the rows keep no order of arrival (storage/schema/evaluations.py).
    op.create_table(
        "evaluation_respondents",
        *_keys(member=True),
        *_constraints("evaluation_respondents", member=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "evaluation_anonymous",
        *_keys(member=False),
        sa.Column("answers", sa.Text(), nullable=False),
        *_constraints("evaluation_anonymous", member=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "evaluation_named",
        *_keys(member=True),
        sa.Column("answers", sa.Text(), nullable=False),
        *_constraints("evaluation_named", member=True),
    )


def downgrade() -> None:
    op.drop_table("evaluation_named")
    op.drop_table("evaluation_anonymous")
    op.drop_table("evaluation_respondents")
    op.drop_table("evaluation_sends")
    op.drop_index(op.f("ix_evaluation_occurrences_remind_at"), "evaluation_occurrences")
    op.drop_index(op.f("ix_evaluation_occurrences_closes_at"), "evaluation_occurrences")
    op.drop_table("evaluation_occurrences")
    op.drop_table("evaluations")
