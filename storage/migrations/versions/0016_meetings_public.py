"""Meetings for the public web pages: whether the join link is public, and a change count.

`public`: the join link shows on the web pages and in the calendar feed (off by
default: links to private calls stay in chat). `sequence`: how many times the
meeting changed (an edit, a cancellation, one occurrence moved or cancelled),
the SEQUENCE calendars use to take the newest version. `updated_at` now also
moves when one occurrence changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as meetings:
        meetings.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        meetings.add_column(
            sa.Column("sequence", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as meetings:
        meetings.drop_column("sequence")
        meetings.drop_column("public")
