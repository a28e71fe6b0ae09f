"""Discussions: a link to each opened thread; one discussion per meeting occurrence.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: threads opened before this revision (and the terminal's) have no link.
    op.add_column("discussion_threads", sa.Column("url", sa.String(length=500), nullable=True))
    op.create_table(
        "meeting_discussions",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_meeting_discussions_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_discussions_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "occurrence", name=op.f("pk_meeting_discussions")),
        sa.UniqueConstraint("discussion_id", name=op.f("uq_meeting_discussions_discussion_id")),
    )


def downgrade() -> None:
    op.drop_table("meeting_discussions")
    with op.batch_alter_table("discussion_threads") as batch:
        batch.drop_column("url")
