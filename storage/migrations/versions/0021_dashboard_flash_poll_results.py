"""A dashboard session's one-time notice; a closed poll's results post, retried.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dashboard_sessions", sa.Column("flash", sa.Text(), nullable=True))
    op.add_column("polls", sa.Column("results_due_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "polls", sa.Column("results_tries", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "polls",
        sa.Column("results_posted_on", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index(op.f("ix_polls_results_due_at"), "polls", ["results_due_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_polls_results_due_at"), "polls")
    op.drop_column("polls", "results_posted_on")
    op.drop_column("polls", "results_tries")
    op.drop_column("polls", "results_due_at")
    op.drop_column("dashboard_sessions", "flash")
