"""Discord forms half filled in, shared by every replica.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discord_forms",
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_discord_forms"),
    )
    op.create_index("ix_discord_forms_user_id", "discord_forms", ["user_id"])
    op.create_index("ix_discord_forms_expires_at", "discord_forms", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_discord_forms_expires_at", "discord_forms")
    op.drop_index("ix_discord_forms_user_id", "discord_forms")
    op.drop_table("discord_forms")
