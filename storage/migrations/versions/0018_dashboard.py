"""Dashboard sign-in links and sessions (hashes of their secrets only).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_dashboard_links_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_dashboard_links")),
    )
    op.create_index(op.f("ix_dashboard_links_member_id"), "dashboard_links", ["member_id"])
    op.create_table(
        "dashboard_sessions",
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_dashboard_sessions_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_dashboard_sessions")),
    )
    op.create_index(op.f("ix_dashboard_sessions_member_id"), "dashboard_sessions", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dashboard_sessions_member_id"), "dashboard_sessions")
    op.drop_table("dashboard_sessions")
    op.drop_index(op.f("ix_dashboard_links_member_id"), "dashboard_links")
    op.drop_table("dashboard_links")
