"""The meetings' version row, raised with every change a calendar feed shows
(storage/meetings.py `bump_meetings` writes the one row the first time), and a
count of each personal feed's member's answers, raised with every answer.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings_version")),
    )
    with op.batch_alter_table("calendar_feeds") as batch:
        batch.add_column(sa.Column("answers", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("calendar_feeds") as batch:
        batch.drop_column("answers")
    op.drop_table("meetings_version")
