"""Invitations imported from a roster (see storage/invitations.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class InvitationRow(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # Lower-cased: the key a re-import finds the row by.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    organization: Mapped[str] = mapped_column(String(120))
    discipline: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(60))
    jurisdiction: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    # The member who joined with it; their leaving deletes the row (privacy).
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime]
    # The unused ones are deleted some time after this (privacy).
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_invitations_status_updated_at", "status", "updated_at"),)
