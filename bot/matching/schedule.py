"""When rounds are held: every `every_weeks` weeks, on a day at a time in the coalition's zone.

Weeks are counted from a fixed Monday, so every replica, and a restarted one, finds
the same instants without storing a schedule; a round's row is keyed by its instant.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.capability_settings import Matching
from bot.timezones import to_local, to_utc

EPOCH = date(1970, 1, 5)  # a Monday


def _held_on(settings: Matching, day: date) -> bool:
    weeks = (day - EPOCH).days // 7
    return day.weekday() == settings.weekday and weeks % settings.every_weeks == 0


def _instant(settings: Matching, zone: str, day: date) -> datetime:
    hours, _, minutes = settings.time.partition(":")
    return to_utc(datetime.combine(day, time(int(hours), int(minutes))), zone)


def instants_between(
    settings: Matching, zone: str, after: datetime, until: datetime
) -> list[datetime]:
    """Round instants in (after, until]."""
    day = to_local(after, zone).date() - timedelta(days=1)
    last = to_local(until, zone).date() + timedelta(days=1)
    found: list[datetime] = []
    while day <= last:
        if _held_on(settings, day):
            at = _instant(settings, zone, day)
            if after < at <= until:
                found.append(at)
        day += timedelta(days=1)
    return found


def latest_instant(settings: Matching, zone: str, now: datetime) -> datetime | None:
    """The latest round instant at or before `now` (within one cycle)."""
    day = to_local(now, zone).date()
    for back in range(7 * settings.every_weeks + 2):
        candidate = day - timedelta(days=back)
        if _held_on(settings, candidate):
            at = _instant(settings, zone, candidate)
            if at <= now:
                return at
    return None
