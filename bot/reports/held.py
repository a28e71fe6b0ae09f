"""The sessions a period held, from the meetings' schedules: answered or not.

Storage gives figures only for occurrences that have rows (answers, attendance,
evaluations); a session nobody answered was held all the same, and a funder counts
it. So the report starts from the schedule: every occurrence of the period that
ended before the report is made, with single dates cancelled or moved as the
meeting says (bot/meetings/recurrence.py), and a meeting cancelled as a whole
holding only what ended before it was cancelled.

An occurrence belongs to a period by its key, the date it was scheduled on, as the
rows storage counts are keyed (bot/reports/ports.py `Scope`); a moved one is shown
on the day it moved to.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from bot.meetings.model import ROW_ERRORS, Meeting, OccurrenceChange
from bot.meetings.recurrence import occurrences
from bot.ports import UnitOfWork
from bot.reports.model import Period
from bot.timezones import to_local

log = logging.getLogger(__name__)
# A local date spans UTC instants from 14 hours before its UTC day to 12 after.
MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Held:
    meeting_id: int
    title: str
    key: date  # the scheduled date: how answers and attendance are keyed
    day: date  # the local date it took place: `key`, or where it moved to


async def held_sessions(
    uow: UnitOfWork, period: Period, now: datetime, series: Meeting | None
) -> dict[tuple[int, date], Held]:
    """The period's occurrences that took place by `now`, by (meeting, key)."""
    low, high = _span(period)
    high = min(high, now)
    if series is not None:
        meetings = [series]
    elif low < high:
        meetings = await uow.meetings.held_between(low, high)
    else:
        return {}  # the whole period is still ahead
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    found: dict[tuple[int, date], Held] = {}
    for meeting in meetings:
        try:
            for held in _held(meeting, changes.get(meeting.id, {}), period, now):
                found[held.meeting_id, held.key] = held
        except ROW_ERRORS:  # a stored zone or rule no longer valid: one row, not the report
            log.exception("leaving meeting %s out of the report's schedule", meeting.id)
    return found


def _span(period: Period) -> tuple[datetime, datetime]:
    """The instants the period's local dates may fall in, whatever the meeting's zone."""
    low = datetime.combine(period.since, time(), UTC) - MARGIN
    return low, datetime.combine(period.until + timedelta(days=1), time(), UTC) + MARGIN


def _held(
    meeting: Meeting, changes: Mapping[date, OccurrenceChange], period: Period, now: datetime
) -> list[Held]:
    ended_by = now
    if meeting.cancelled:
        # Cancelling is the last change a meeting takes (a cancelled one cannot be
        # edited), so `updated_at` says when: what ended before it was held.
        if meeting.updated_at is None:
            return []
        ended_by = min(now, meeting.updated_at)
        meeting = replace(meeting, cancelled=False)
    low, high = _span(period)
    # A date of the period moved well outside it is still the period's (by its key).
    moved = [
        c.start
        for key, c in changes.items()
        if c.start is not None and not c.cancelled and period.since <= key <= period.until
    ]
    low = min([low, *moved])
    high = min(max([high, *(m + timedelta(seconds=1) for m in moved)]), ended_by)
    if high <= low:
        return []
    return [
        Held(meeting.id, meeting.title, o.key, to_local(o.start, meeting.timezone).date())
        for o in occurrences(meeting, low, high, changes)
        if period.since <= o.key <= period.until and o.end <= ended_by
    ]
