"""Dates, times and durations as people type them, without any error wording.

Callers turn a None into a sentence that says what to type instead.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

# The configuration reads reminder offsets with it too, so it is the kernel's.
from bot.durations import parse_minutes as parse_minutes

# ASCII digits only: "²" is a digit to str.isdigit but not to int().
_TIME_12H = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$", re.ASCII)
_TIME_24H = re.compile(r"^(\d{1,2})[:h.](\d{2})$", re.ASCII)
_HOUR = re.compile(r"^\d{1,2}$", re.ASCII)
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
# Dates further than this from today are refused: nobody plans a meeting in 2040,
# and near the year 9999 a far-west zone's UTC time is past the end of the calendar.
HORIZON = timedelta(days=5 * 365 + 1)


def parse_time(text: str) -> time | None:
    """ "14:30", "9am", "2:30 pm", "9" -> a wall time; None if it is not one."""
    cleaned = text.strip().lower()
    if match := _TIME_12H.match(cleaned):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if match.group(3) == "p" else 0)
        return time(hour, minute)
    if match := _TIME_24H.match(cleaned):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif _HOUR.match(cleaned):
        hour, minute = int(cleaned), 0
    else:
        return None
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


def parse_date(text: str) -> date | str | None:
    """A date; None if it is not written as YYYY-MM-DD; "impossible" for Feb 30 and such."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return "impossible"


def within_horizon(day: date, today: date) -> bool:
    """Whether `day` is no further than HORIZON from today, either way."""
    return abs(day - today) <= HORIZON
