"""Lengths of time as people type them ("90", "1h30m", "1d"), in minutes."""

from __future__ import annotations

import re

# ASCII digits only: "²" is a digit to str.isdigit but not to int().
_DURATION = re.compile(
    r"^(?:(\d{1,5})\s*d)?\s*(?:(\d{1,6})\s*h)?\s*(?:(\d{1,7})\s*m(?:in)?)?$", re.ASCII
)
_MINUTES = re.compile(r"^\d{1,7}$", re.ASCII)


def parse_minutes(text: str) -> int | None:
    """ "90", "1h30m", "1h", "45m", "1d" -> minutes; None if it is not a duration."""
    cleaned = text.strip().lower().replace(" ", "")
    if _MINUTES.match(cleaned):
        return int(cleaned)
    match = _DURATION.match(cleaned)
    if not cleaned or match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return days * 1440 + hours * 60 + minutes
