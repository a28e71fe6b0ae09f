"""Discussions: follower notice claims that survive a crash; digest posts retried.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("discussions") as batch:
        batch.add_column(sa.Column("notice_claimed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("digest_deliveries") as batch:
        # Existing claims were each one attempt.
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_deliveries") as batch:
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
    with op.batch_alter_table("discussions") as batch:
        batch.drop_column("notice_claimed_at")
