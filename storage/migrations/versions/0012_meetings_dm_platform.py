"""Meetings: one reminder DM per person, on the platform they chose or last used.

members.dm_platform (their choice; "" for the last used) and identities.last_used_at
(written when a member with linked accounts switches to that account).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("dm_platform", sa.String(16), nullable=False, server_default=""))
    with op.batch_alter_table("identities") as batch:
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies the table and drops the old one, which
    # the foreign keys onto members refuse. SQLite (3.35+) drops a column in place.
    op.drop_column("identities", "last_used_at")
    op.drop_column("members", "dm_platform")
