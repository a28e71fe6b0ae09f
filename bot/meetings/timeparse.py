"""Dates, times and durations as people type them, without any error wording.

Callers turn a None into a sentence that says what to type instead.
"""

from __future__ import annotations

import re
from datetime import date, time
from urllib.parse import urlparse

_DURATION = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")
_TIME_12H = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$")
_TIME_24H = re.compile(r"^(\d{1,2})[:h.](\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_minutes(text: str) -> int | None:
    """ "90", "1h30m", "1h", "45m", "1d" -> minutes; None if it is not a duration."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.isdigit():
        return int(cleaned)
    match = _DURATION.match(cleaned)
    if not cleaned or match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return days * 1440 + hours * 60 + minutes


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
    elif cleaned.isdigit() and len(cleaned) <= 2:
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


def is_web_link(text: str) -> bool:
    parsed = urlparse(text.strip())
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc) and " " not in text.strip()
