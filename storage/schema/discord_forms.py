"""Discord forms half filled in, so that any replica, or a restarted one, can go on with them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class DiscordFormRow(Base):
    __tablename__ = "discord_forms"

    # The random token the form's modals and buttons carry in their custom_ids.
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The Discord account filling it in: only they may go on, and their forms go when they leave.
    user_id: Mapped[str] = mapped_column(String(32))
    # The form and the answers so far, as JSON (adapters/discord/forms.py). Personal data:
    # deleted when sent, when it expires, and when the member leaves.
    state: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_discord_forms_user_id", "user_id"),
        Index("ix_discord_forms_expires_at", "expires_at"),
    )
