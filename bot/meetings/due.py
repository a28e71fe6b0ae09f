"""What is due: every announcement and reminder of the meetings, in a window of time.

Pure reckoning over the meetings read from storage. A meeting whose stored row
cannot be expanded (a rule or zone written before today's checks, or by hand) is
logged and skipped here, so one broken row never stops the other meetings'
reminders.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.config import Config
from bot.meetings.model import DeliveryKind, Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import next_occurrence, occurrences
from bot.ports import UnitOfWork

log = logging.getLogger(__name__)

# A reminder posted more than this after its time is marked late.
LATE_AFTER = timedelta(minutes=1)
# Missed deliveries older than this are not looked at any more (they were skipped).
LOOKBACK = timedelta(days=1)

Changes = dict[int, dict[date, OccurrenceChange]]


@dataclass(frozen=True, slots=True)
class Due:
    meeting: Meeting
    occurrence: Occurrence
    kind: DeliveryKind
    offset: int  # minutes before the start
    due_at: datetime


def offsets_for(meeting: Meeting, config: Config) -> tuple[int, ...]:
    """Minutes before the start: the meeting's own or the coalition's, and 0 (the start)."""
    chosen = meeting.reminders if meeting.reminders is not None else config.meetings.offsets_minutes
    return tuple(sorted({*chosen, 0}, reverse=True))


def reminders_between(
    meeting: Meeting,
    changes: dict[date, OccurrenceChange],
    after: datetime,
    before: datetime,
    offsets: Sequence[int],
) -> list[Due]:
    """Reminders of one meeting due in [after, before), earliest first.

    Reminders whose time came before the meeting was scheduled do not exist:
    a meeting set up an hour ahead gets no "one day before" reminder.
    """
    longest = timedelta(minutes=max(offsets, default=0))
    found: list[Due] = []
    for occurrence in occurrences(meeting, after, before + longest, changes):
        for offset in offsets:
            due_at = occurrence.start - timedelta(minutes=offset)
            if not after <= due_at < before:
                continue
            if meeting.created_at is not None and due_at < meeting.created_at:
                continue
            found.append(Due(meeting, occurrence, DeliveryKind.REMINDER, offset, due_at))
    return sorted(found, key=lambda d: d.due_at)


def claim_start(due: Due) -> datetime:
    """The instant in a delivery's claim key.

    A reminder belongs to its occurrence's start, so a moved occurrence gets fresh
    reminders. An announcement belongs to the meeting, once: its key holds the
    meeting's creation (its due time), so moving or editing the first occurrence
    does not announce the meeting a second time (issue 16); its card is edited.
    """
    return due.due_at if due.kind is DeliveryKind.ANNOUNCEMENT else due.occurrence.start


def announcement_due(
    meeting: Meeting, changes: dict[date, OccurrenceChange], after: datetime, before: datetime
) -> Due | None:
    """A new meeting is announced once, for its first occurrence, when it was scheduled."""
    created = meeting.created_at
    if created is None or not after <= created < before:
        return None
    upcoming = next_occurrence(meeting, changes, created)
    if upcoming is None:
        return None
    return Due(meeting, upcoming, DeliveryKind.ANNOUNCEMENT, 0, created)


def due_of(
    meeting: Meeting,
    changes: dict[date, OccurrenceChange],
    since: datetime,
    until: datetime,
    config: Config,
) -> list[Due]:
    """What one meeting has due in [since, until); nothing, logged, if its stored row
    cannot be expanded."""
    try:
        dues = reminders_between(meeting, changes, since, until, offsets_for(meeting, config))
        if (found := announcement_due(meeting, changes, since, until)) is not None:
            dues.insert(0, found)
    except Exception:  # any error of a broken row: this meeting only is skipped
        log.exception("skipping meeting %s: its dates cannot be worked out", meeting.id)
        return []
    return dues


def all_due(
    meetings: Sequence[Meeting], changes: Changes, since: datetime, until: datetime, config: Config
) -> list[Due]:
    """What every meeting has due in [since, until), earliest first."""
    found: list[Due] = []
    for meeting in meetings:
        found += due_of(meeting, changes.get(meeting.id, {}), since, until, config)
    return sorted(found, key=lambda d: d.due_at)


async def meetings_between(
    uow: UnitOfWork, after: datetime, before: datetime
) -> tuple[list[Meeting], Changes]:
    """The meetings that may have something due in [after, before), with their changes."""
    # Occurrences up to the longest offset ahead have reminders due now; a
    # meeting's own offsets may be longer than the coalition's (14 days at most).
    horizon = before + timedelta(days=15)
    meetings = await uow.meetings.active(after - timedelta(days=1), horizon)
    # New meetings are announced however far ahead they are.
    known = {m.id for m in meetings}
    meetings += [m for m in await uow.meetings.created_since(after) if m.id not in known]
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    return meetings, changes
