"""The occurrence a check-in or a correction names, and the nearest ones when it is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from bot.context import Context
from bot.errors import FieldError
from bot.i18n import N_
from bot.meetings.lookup import changes_of, occurrence_on
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import occurrences, scheduled_start
from bot.messages import Strong, usage

# How far each side of a wrong date to look for the meeting's real dates.
_REACH = (timedelta(days=35), timedelta(days=400), timedelta(days=4000))


def nearest(meeting: Meeting, changes: Mapping[date, OccurrenceChange], day: date) -> list[date]:
    """The meeting's occurrence dates closest to `day`: the one before and the one after."""
    middle = datetime.combine(day, time(12), tzinfo=UTC)
    before: date | None = None
    after: date | None = None
    for reach in _REACH:
        try:
            found = occurrences(meeting, middle - reach, middle + reach, changes)
        except (ValueError, OverflowError, KeyError):  # beyond the calendar, or a broken row
            break
        earlier = [o.key for o in found if o.key < day]
        later = [o.key for o in found if o.key > day]
        before = before or (earlier[-1] if earlier else None)
        after = after or (later[0] if later else None)
        if before and after:
            break
    return [d for d in (before, after) if d is not None]


def cancelled_on(meeting: Meeting, changes: Mapping[date, OccurrenceChange], day: date) -> bool:
    """Whether `day` was one of the meeting's dates until it, or the whole meeting, was
    cancelled: the person remembered the date right, and is told why it is refused."""
    change = changes.get(day)
    if change is not None and change.cancelled:
        return True
    return meeting.cancelled and scheduled_start(meeting, day) is not None


async def occurrence_or_error(ctx: Context, meeting: Meeting, day: date) -> Occurrence:
    """The occurrence on `day`, or a sentence naming the meeting's nearest dates."""
    changes = await changes_of(ctx, meeting)
    found = occurrence_on(meeting, changes, day)
    if found is not None:
        return found
    title, when = Strong(meeting.title), day.isoformat()
    if meeting.cancelled and cancelled_on(meeting, changes, day):
        raise FieldError(
            "occurrence",
            "{title} was cancelled, so it did not meet on {day} and has no other date.",
            title=title,
            day=when,
        )
    cancelled = cancelled_on(meeting, changes, day)
    close = nearest(meeting, changes, day)
    if not close:
        raise FieldError(
            "occurrence",
            N_("{title} was cancelled on {day}, and has no other date.")
            if cancelled
            else N_("{title} does not meet on {day}, and has no other date."),
            title=title,
            day=when,
        )
    example = usage("", ("occurrence", close[0].isoformat()))
    if len(close) == 1:  # before the first date or after the last: one date, said so
        raise FieldError(
            "occurrence",
            N_("{title} was cancelled on {day}. Its nearest date is {date}: type {example}.")
            if cancelled
            else N_("{title} does not meet on {day}. Its nearest date is {date}: type {example}."),
            title=title,
            day=when,
            date=close[0].isoformat(),
            example=example,
        )
    raise FieldError(
        "occurrence",
        N_(
            "{title} was cancelled on {day}. Its nearest dates are {dates}: type, for example, {example}."
        )
        if cancelled
        else N_(
            "{title} does not meet on {day}. Its nearest dates are {dates}: type, for example, {example}."
        ),
        title=title,
        day=when,
        dates=", ".join(d.isoformat() for d in close),
        example=example,
    )
