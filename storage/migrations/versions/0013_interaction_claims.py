"""Claims on platform deliveries (Slack events and triggers, Discord interactions).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interaction_claims",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key", name="pk_interaction_claims"),
    )
    op.create_index("ix_interaction_claims_expires_at", "interaction_claims", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_interaction_claims_expires_at", "interaction_claims")
    op.drop_table("interaction_claims")
