"""Membership: members, their accounts, join requests, role changes, link codes.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("organization", sa.String(length=120), nullable=False),
        sa.Column("organization_key", sa.String(length=120), nullable=False),
        sa.Column("jurisdiction", sa.String(length=120), nullable=False),
        sa.Column("discipline", sa.String(length=60), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_index(
        "ix_members_directory", "members", ["status", "listed", "name_key"], unique=False
    )
    op.create_index("ix_members_discipline", "members", ["discipline"], unique=False)
    op.create_index("ix_members_region", "members", ["region"], unique=False)

    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_identities_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("platform", "workspace", "user_id", name="uq_identities_account"),
    )
    op.create_index(op.f("ix_identities_member_id"), "identities", ["member_id"], unique=False)

    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["members.id"], name=op.f("fk_join_requests_decided_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_join_requests_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_requests")),
    )
    op.create_index(op.f("ix_join_requests_decision"), "join_requests", ["decision"], unique=False)
    op.create_index(
        op.f("ix_join_requests_member_id"), "join_requests", ["member_id"], unique=False
    )

    op.create_table(
        "link_codes",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_link_codes_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_link_codes")),
    )
    op.create_index(op.f("ix_link_codes_member_id"), "link_codes", ["member_id"], unique=False)

    op.create_table(
        "member_interests",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("interest", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_interests_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "interest", name=op.f("pk_member_interests")),
    )
    op.create_index(
        "ix_member_interests_interest", "member_interests", ["interest", "member_id"], unique=False
    )

    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("by_member_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_member_id"], ["members.id"], name=op.f("fk_role_changes_by_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_role_changes_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_changes")),
    )
    op.create_index(op.f("ix_role_changes_member_id"), "role_changes", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_role_changes_member_id"), table_name="role_changes")

    op.drop_table("role_changes")
    op.drop_index("ix_member_interests_interest", table_name="member_interests")

    op.drop_table("member_interests")
    op.drop_index(op.f("ix_link_codes_member_id"), table_name="link_codes")

    op.drop_table("link_codes")
    op.drop_index(op.f("ix_join_requests_member_id"), table_name="join_requests")
    op.drop_index(op.f("ix_join_requests_decision"), table_name="join_requests")

    op.drop_table("join_requests")
    op.drop_index(op.f("ix_identities_member_id"), table_name="identities")

    op.drop_table("identities")
    op.drop_index("ix_members_region", table_name="members")
    op.drop_index("ix_members_discipline", table_name="members")
    op.drop_index("ix_members_directory", table_name="members")

    op.drop_table("members")
