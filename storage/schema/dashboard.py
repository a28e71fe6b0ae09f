"""Dashboard sign-in links and sessions: only SHA-256 hashes of their secrets are kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class DashboardLinkRow(Base):
    __tablename__ = "dashboard_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DashboardSessionRow(Base):
    __tablename__ = "dashboard_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # Sent in every form of this session and checked on every POST.
    csrf: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    last_seen: Mapped[datetime]
    # What the last decision did, shown once on the page the browser is sent to after it.
    flash: Mapped[str | None] = mapped_column(Text)
