"""Resources can be retired: requests to retire one (with the reason), and when it was done.

A retired resource keeps its row (status 'retired'), so its history and its
link's duplicate key stay; this table says who retired it, when and why.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resource_retirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asked_by"], ["members.id"], name=op.f("fk_resource_retirements_asked_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_retirements_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_retirements")),
    )
    op.create_index(
        op.f("ix_resource_retirements_resource_id"),
        "resource_retirements",
        ["resource_id"],
        unique=False,
    )


def downgrade() -> None:
    # The older code knows no retired state; as rejected they stay out of search and
    # the export, where a retired resource must not come back.
    op.execute("UPDATE resources SET status = 'rejected' WHERE status = 'retired'")
    op.drop_index(op.f("ix_resource_retirements_resource_id"), table_name="resource_retirements")
    op.drop_table("resource_retirements")
