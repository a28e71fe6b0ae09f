"""Keeping posted announcements current: counts, edits, moves and cancellations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.i18n import Translator
from bot.meetings.cards import announcement
from bot.meetings.model import Delivery, Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import next_occurrence, scheduled_start
from bot.messages import Message, Text
from bot.ports import UnitOfWork
from bot.posted import PostedMessage
from bot.timefmt import moment


def announced_occurrence(
    meeting: Meeting, changes: dict[date, OccurrenceChange], delivery: Delivery
) -> Occurrence | None:
    """The announced occurrence as it is now: moved, or None if it was cancelled."""
    day = delivery.occurrence_key
    change = changes.get(day)
    if meeting.cancelled or (change is not None and change.cancelled):
        return None
    start = change.start if change and change.start else scheduled_start(meeting, day)
    if start is None:
        return None  # the series was moved to other days
    return Occurrence(meeting.id, day, start, start + timedelta(minutes=meeting.duration))


def _shown(
    tr: Translator,
    meeting: Meeting,
    changes: dict[date, OccurrenceChange],
    delivery: Delivery,
    now: datetime,
) -> tuple[Occurrence | None, Text]:
    """What the card shows: the announced occurrence, or, when only that one was
    cancelled, the next one under a line saying so (its buttons answer for the next)."""
    found = announced_occurrence(meeting, changes, delivery)
    change = changes.get(delivery.occurrence_key)
    if found is not None or meeting.cancelled or change is None or not change.cancelled:
        return found, ()
    following = next_occurrence(meeting, changes, now - timedelta(minutes=meeting.duration))
    start = change.start or scheduled_start(meeting, delivery.occurrence_key)
    if following is None or start is None:
        return following, ()
    note = tr(
        "The meeting on {when} is cancelled. The next one:",
        when=moment(start, meeting.timezone, tr.language),
    )
    return following, note


async def announcement_edits(
    uow: UnitOfWork, tr: Translator, meeting_id: int, now: datetime
) -> list[tuple[PostedMessage, Message]]:
    """Each posted announcement of the meeting, with the card it should now show."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        return []
    posts = await uow.deliveries.announcements(meeting_id)
    changes = (await uow.meetings.changes([meeting_id])).get(meeting_id, {})
    shown = [(_shown(tr, meeting, changes, delivery, now), refs) for delivery, refs in posts]
    keys = sorted({(meeting_id, o.key) for (o, _), _ in shown if o is not None})
    discussions = await uow.discussions.occurrence_discussions(keys)
    edits: list[tuple[PostedMessage, Message]] = []
    for (occurrence, note), refs in shown:
        day = occurrence.key if occurrence else None
        counts = await uow.rsvps.counts(meeting_id, day) if day else {}
        discussion = discussions.get((meeting_id, day)) if day else None
        edits += [
            (
                ref,
                announcement(
                    tr,
                    meeting,
                    occurrence,
                    counts,
                    discussion=discussion,
                    platform=ref.platform,
                    note=note,
                ),
            )
            for ref in refs
        ]
    return edits
