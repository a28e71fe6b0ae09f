"""Invitations imported from a roster.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("organization", sa.String(120), nullable=False),
        sa.Column("discipline", sa.String(60), nullable=False),
        sa.Column("region", sa.String(60), nullable=False),
        sa.Column("jurisdiction", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("code", name="uq_invitations_code"),
        sa.UniqueConstraint("email", name="uq_invitations_email"),
    )
    op.create_index("ix_invitations_member_id", "invitations", ["member_id"])
    op.create_index("ix_invitations_status_updated_at", "invitations", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_invitations_status_updated_at", "invitations")
    op.drop_index("ix_invitations_member_id", "invitations")
    op.drop_table("invitations")
