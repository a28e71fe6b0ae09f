"""Instants as people read them: in a zone, in their language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.messages import Moment


def moment(at: datetime, timezone: str, language: str) -> Moment:
    """A Moment whose fallback names the zone, for renderers that cannot localise."""
    local = at.astimezone(ZoneInfo(timezone))
    shown = format_datetime(local, "medium", locale=language)
    return Moment(at=at, fallback=f"{shown} ({timezone})")
