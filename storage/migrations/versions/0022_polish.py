"""A dashboard session's one-time notice; a closed poll's results post, retried.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dashboard_sessions", sa.Column("flash", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("dashboard_sessions", "flash")
