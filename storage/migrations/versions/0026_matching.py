"""Peer matching: opt-ins, rounds (one row per instant, so each runs once), places.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "match_optins",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("region_wish", sa.String(length=8), nullable=False),
        sa.Column("discipline_wish", sa.String(length=8), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("same_organization", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        _fk("match_optins", "member_id", "members"),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_match_optins")),
    )
    op.create_table(
        "match_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rounds")),
        sa.UniqueConstraint("due_at", name=op.f("uq_match_rounds_due_at")),
    )
    op.create_table(
        "match_places",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("grp", sa.Integer(), nullable=False),
        sa.Column("intro_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("intro_tries", sa.Integer(), nullable=False),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ask_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ask_tries", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        _fk("match_places", "round_id", "match_rounds"),
        _fk("match_places", "member_id", "members"),
        sa.PrimaryKeyConstraint("round_id", "member_id", name=op.f("pk_match_places")),
    )
    op.create_index(op.f("ix_match_places_member_id"), "match_places", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_match_places_member_id"), "match_places")
    op.drop_table("match_places")
    op.drop_table("match_rounds")
    op.drop_table("match_optins")
