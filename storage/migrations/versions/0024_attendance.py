"""Attendance: one row per member and meeting occurrence (check-in, coordinator, import).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_attendance_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_attendance_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "occurrence", "member_id", name=op.f("pk_attendance")
        ),
    )
    # A member's history (export) and leaving look rows up by member.
    op.create_index(op.f("ix_attendance_member_id"), "attendance", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_member_id"), table_name="attendance")
    op.drop_table("attendance")
