"""Discussions: each follower's own state for reply notices.

discussion_followers.told_replies (the replies this follower was told of),
attempts, next_attempt_at (a retry time, or the lease of an instance posting it),
given_up_at (the platform cannot deliver to them, or too many failures) and
last_error. Existing followers count as told of what their discussion's batches
told, so nobody is sent old news.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("discussion_followers") as batch:
        batch.add_column(
            sa.Column("told_replies", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(500), nullable=True))
    op.execute(
        "UPDATE discussion_followers SET told_replies = (SELECT notified_replies "
        "FROM discussions WHERE discussions.id = discussion_followers.discussion_id)"
    )


def downgrade() -> None:
    for column in ("last_error", "given_up_at", "next_attempt_at", "attempts", "told_replies"):
        op.drop_column("discussion_followers", column)
