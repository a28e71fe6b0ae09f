"""Directory: a covering index for searches by organization.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_members_organization",
        "members",
        ["status", "listed", "organization_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_members_organization", table_name="members")
