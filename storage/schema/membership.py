"""Membership tables: members, their accounts and interests, requests, roles, link codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.membership.model import JURISDICTION_MAX, LIST_ITEM_MAX, NAME_MAX, ORGANIZATION_MAX
from storage.schema.base import Base


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Lower-cased copies for case-insensitive search that works the same on both backends.
    name_key: Mapped[str] = mapped_column(String(NAME_MAX))
    organization: Mapped[str] = mapped_column(String(ORGANIZATION_MAX))
    organization_key: Mapped[str] = mapped_column(String(ORGANIZATION_MAX))
    jurisdiction: Mapped[str] = mapped_column(String(JURISDICTION_MAX))
    discipline: Mapped[str] = mapped_column(String(LIST_ITEM_MAX))
    region: Mapped[str] = mapped_column(String(LIST_ITEM_MAX))
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    listed: Mapped[bool] = mapped_column(Boolean)
    # Added by the meetings migration (0003): reminders by direct message, on by default.
    dm_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Added by 0009: where reminder DMs go for a member with linked accounts ("": last used).
    dm_platform: Mapped[str] = mapped_column(String(16), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    left_at: Mapped[datetime | None]

    interests: Mapped[list[MemberInterestRow]] = relationship(
        cascade="all, delete-orphan", order_by="MemberInterestRow.position", lazy="selectin"
    )
    identities: Mapped[list[IdentityRow]] = relationship(
        cascade="all, delete-orphan", order_by="IdentityRow.id", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_members_directory", "status", "listed", "name_key"),
        # Covers "organization contains ...": a substring cannot use an index to
        # seek, but scanning this one reads no table rows.
        Index("ix_members_organization", "status", "listed", "organization_key"),
        Index("ix_members_region", "region"),
        Index("ix_members_discipline", "discipline"),
    )


class MemberInterestRow(Base):
    __tablename__ = "member_interests"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    interest: Mapped[str] = mapped_column(String(LIST_ITEM_MAX), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_member_interests_interest", "interest", "member_id"),)


class IdentityRow(Base):
    """A platform account of a member; one member may have several (linked accounts)."""

    __tablename__ = "identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    # Added by 0009: written when a member with linked accounts switches to this one.
    last_used_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("platform", "workspace", "user_id", name="uq_identities_account"),
    )


class JoinRequestRow(Base):
    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    requested_at: Mapped[datetime]
    decision: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[datetime | None]


class RoleChangeRow(Base):
    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    granted: Mapped[bool] = mapped_column(Boolean)
    by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    by_name: Mapped[str] = mapped_column(String(NAME_MAX))
    at: Mapped[datetime]


class LinkCodeRow(Base):
    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
