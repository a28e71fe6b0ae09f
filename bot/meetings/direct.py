"""Reminder DMs: one per person, on one platform, with the time in the reader's zone.

A member who linked accounts on several platforms is still one person: a reminder
reaches them once, on the platform they chose in their profile (`dm_platform`), else
on the one they last ran a command from, else on the first of their accounts that is
connected. Its claim key names the member, not the platform (`DeliveryTarget.dm`,
stored as "@<member id>"), so the choice may change between two sweeps (they used the
bot elsewhere meanwhile) and the reminder is still claimed, and sent, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.i18n import Translator
from bot.identity import Identity
from bot.meetings.model import DeliveryKey

DmClaim = tuple[int, datetime, str, int, int]


def dm_claim(key: DeliveryKey) -> DmClaim | None:
    """A DM's claim by member and not by platform, whichever way its key was written."""
    member = key.target.member_id
    if member is None:
        return None
    return (key.meeting_id, key.occurrence_start, key.kind.value, key.offset, member)


def claimed_dms(keys: Iterable[DeliveryKey]) -> set[DmClaim]:
    """Claims of direct messages, by member and not by platform, in either key format."""
    return {found for key in keys if (found := dm_claim(key)) is not None}


def dm_account(
    identities: Sequence[Identity],
    platforms: Sequence[str],
    *,
    chosen: str = "",
    last_used: Identity | None = None,
) -> Identity | None:
    """The one account a DM goes to, among those on a connected platform."""
    reachable = [i for i in identities if i.platform in platforms]
    if not reachable:
        return None
    mine = [i for i in reachable if i.platform == chosen]
    if mine:
        return last_used if last_used in mine else mine[0]
    if last_used is not None and last_used in reachable:
        return last_used
    return reachable[0]


def reader_time(tr: Translator, start: datetime, meeting_zone: str, reader_zone: str) -> str:
    """The start in the reader's zone, when it reads differently from the meeting's:
    "12:00 PM" (or "Mar 6, 2026, 1:00 AM" on another day); "" when it is the same."""
    there = start.astimezone(ZoneInfo(meeting_zone))
    here = start.astimezone(ZoneInfo(reader_zone))
    if here.utcoffset() == there.utcoffset():
        return ""
    clock = format_time(here, "short", locale=tr.language)
    if here.date() == there.date():
        return clock
    return f"{format_date(here, 'medium', locale=tr.language)}, {clock}"


def meeting_time(tr: Translator, start: datetime, meeting_zone: str) -> str:
    """The start in the meeting's own zone, named: "Mar 5, 2026, 9:00 AM America/Los_Angeles"."""
    there = start.astimezone(ZoneInfo(meeting_zone))
    day = format_date(there, "medium", locale=tr.language)
    return f"{day}, {format_time(there, 'short', locale=tr.language)} {meeting_zone}"
