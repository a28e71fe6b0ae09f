"""Personal calendar feeds: only the SHA-256 hash of each member's feed token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class CalendarFeedRow(Base):
    __tablename__ = "calendar_feeds"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # One feed a member: a new one is made only after the old one is revoked.
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime]
    # Raised with every answer the member gives (storage/rsvps.py), so the feed's
    # ETag is known from this row alone, without reading the answers.
    answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
