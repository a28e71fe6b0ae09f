"""Deliveries from the platforms that some instance already took (see storage/interactions.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class InteractionClaimRow(Base):
    __tablename__ = "interaction_claims"

    # "slack" or "discord", and the platform's own id of the delivery
    # ("event:Ev123", "trigger:…", a Discord interaction id).
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    claimed_at: Mapped[datetime]
    # After this the row is only clutter: the platform no longer resends that id.
    expires_at: Mapped[datetime]

    __table_args__ = (Index("ix_interaction_claims_expires_at", "expires_at"),)
