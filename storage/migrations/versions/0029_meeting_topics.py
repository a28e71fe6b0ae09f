"""Meetings' topics, from the coalition's `[lists] topics`: the web's per-topic feeds.

Stored one a line in a column of the meeting ("" for none): a meeting has at most
five, they are always read with it, and a feed filters a year of meetings that the
whole feed reads anyway.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as meetings:
        meetings.add_column(sa.Column("topics", sa.String(305), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as meetings:
        meetings.drop_column("topics")
