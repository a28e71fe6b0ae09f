"""Instants as people read them: in a zone, in their language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.messages import Moment

# The weekdays an example date falls on: Tuesday to Thursday, like most meetings.
_EXAMPLE_WEEKDAYS = (1, 2, 3)


def moment(at: datetime, timezone: str, language: str) -> Moment:
    """A Moment whose fallback names the zone, for renderers that cannot localise."""
    local = at.astimezone(ZoneInfo(timezone))
    # Babel's "medium" date-time shows seconds (7:00:00 AM), which no meeting needs.
    shown = f"{format_date(local, 'medium', locale=language)}, {format_time(local, 'short', locale=language)}"
    return Moment(at=at, fallback=f"{shown} ({timezone})")


def example_day(today: date) -> date:
    """A date to show in examples: a Tuesday to Thursday a few days ahead, never past."""
    day = today + timedelta(days=3)
    while day.weekday() not in _EXAMPLE_WEEKDAYS:
        day += timedelta(days=1)
    return day
