"""Meetings: meetings, changed occurrences, RSVPs, delivery claims; members.dm_reminders.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("dm_reminders", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("start_local", sa.String(length=19), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("agenda", sa.String(length=1000), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("reminders", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("first_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["members.id"], name=op.f("fk_meetings_created_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_first_start"), "meetings", ["first_start"])
    op.create_index(op.f("ix_meetings_last_end"), "meetings", ["last_end"])
    op.create_index(op.f("ix_meetings_refresh_at"), "meetings", ["refresh_at"])
    op.create_table(
        "meeting_occurrence_changes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("new_start", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_occurrence_changes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "occurrence", name=op.f("pk_meeting_occurrence_changes")
        ),
    )
    op.create_table(
        "meeting_rsvps",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_rsvps_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_meeting_rsvps_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "occurrence", "member_id", name=op.f("pk_meeting_rsvps")
        ),
    )
    op.create_table(
        "meeting_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_deliveries_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_deliveries")),
        sa.UniqueConstraint(
            "meeting_id",
            "occurrence_start",
            "kind",
            "offset_minutes",
            "target",
            name="uq_meeting_deliveries_claim",
        ),
    )
    op.create_index(
        "ix_meeting_deliveries_status", "meeting_deliveries", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("meeting_deliveries")
    op.drop_table("meeting_rsvps")
    op.drop_table("meeting_occurrence_changes")
    op.drop_table("meetings")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("dm_reminders")
