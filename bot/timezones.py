"""IANA time zone names: validation that accepts any letter case and suggests fixes."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def _by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones() if "/" in name or name == "UTC"}


def canonical_timezone(name: str) -> str | None:
    """The IANA spelling of `name` ("america/chicago" -> "America/Chicago"), or None."""
    return _by_lower_name().get(name.strip().lower())


def suggest_timezones(name: str, limit: int = 3) -> list[str]:
    lowered = name.strip().lower().replace(" ", "_")
    close = difflib.get_close_matches(lowered, list(_by_lower_name()), n=limit, cutoff=0.6)
    return [_by_lower_name()[c] for c in close]


def all_timezones() -> list[str]:
    return sorted(_by_lower_name().values())


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
