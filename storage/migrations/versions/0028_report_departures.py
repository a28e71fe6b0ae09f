"""Reports: what a session's figures keep of a member who left, under no member id.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_departures",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("person", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("evaluation_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_report_departures_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "occurrence", "person", name=op.f("pk_report_departures")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_departures")
