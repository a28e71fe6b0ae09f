"""Finding the meeting and the occurrence a command or a button names."""

from __future__ import annotations

from datetime import date, timedelta

from bot.context import Context
from bot.errors import FieldError, UserError
from bot.meetings import recurrence
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import scheduled_start
from bot.messages import Code, usage


async def meeting_or_error(ctx: Context, meeting_id: int) -> Meeting:
    meeting = await ctx.uow.meetings.get(meeting_id)
    if meeting is None:
        raise UserError(
            "There is no meeting {id}. See the meetings and their numbers with {command}.",
            id=str(meeting_id),
            command=Code("/coalition meeting list"),
        )
    return meeting


async def changes_of(ctx: Context, meeting: Meeting) -> dict[date, OccurrenceChange]:
    return (await ctx.uow.meetings.changes([meeting.id])).get(meeting.id, {})


async def next_occurrence(ctx: Context, meeting: Meeting) -> Occurrence | None:
    """The occurrence happening now or next, if any."""
    after = ctx.clock.now() - timedelta(minutes=meeting.duration)
    return recurrence.next_occurrence(meeting, await changes_of(ctx, meeting), after)


def occurrence_on(
    meeting: Meeting, changes: dict[date, OccurrenceChange], day: date
) -> Occurrence | None:
    """The occurrence scheduled on that local date, as it is now (moved), or None."""
    change = changes.get(day)
    if meeting.cancelled or (change is not None and change.cancelled):
        return None
    start = change.start if change and change.start else scheduled_start(meeting, day)
    if start is None:
        return None
    return Occurrence(
        meeting.id, day, start, start + timedelta(minutes=meeting.duration), bool(change)
    )


async def chosen_occurrence(ctx: Context, meeting: Meeting, day: date | None) -> Occurrence:
    """The occurrence on `day`, or the next one; a clear error when there is none."""
    if day is None:
        found = await next_occurrence(ctx, meeting)
        if found is None:
            raise UserError("{title} has no upcoming occurrence.", title=meeting.title)
        return found
    found = occurrence_on(meeting, await changes_of(ctx, meeting), day)
    if found is None:
        upcoming = await next_occurrence(ctx, meeting)
        example = (upcoming.key if upcoming else ctx.clock.now().date()).isoformat()
        raise FieldError(
            "occurrence",
            "{title} does not meet on {day}. Give the date of one of its meetings, for example {example}.",
            title=meeting.title,
            day=day.isoformat(),
            example=usage("", ("occurrence", str(example))),
        )
    return found
